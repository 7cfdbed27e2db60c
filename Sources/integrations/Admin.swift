import ArgumentParser
import IntegrationsServer

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administrative tasks on the database.",
        subcommands: [InsertDocument.self]
    )
}

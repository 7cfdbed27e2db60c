import ArgumentParser
import IntegrationsServer

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the SQL migrations and exit.",
        discussion: "The migrations built into this binary (the repository's sql/), or those of MIGRATIONS_DIR when it is set."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let (configuration, logger) = try options.load()
        do {
            try await AdminCommands.migrate(configuration, logger: logger)
        } catch {
            throw fail(error)
        }
    }
}

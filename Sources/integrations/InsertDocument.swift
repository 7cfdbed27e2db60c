import ArgumentParser
import Foundation
import IntegrationsServer

struct InsertDocument: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert",
        abstract: "Insert integration or history documents (JSON objects, one per line) through the data layer.",
        discussion: "Reads FILE, or standard input when FILE is '-'. Each line is one Rocket.Chat document as the REST API shows it."
    )

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What the documents are: integration or history.") var kind: AdminCommands.DocumentKind
    @Argument(help: "A file of JSON documents, one per line, or '-' for standard input.") var file: String

    func run() async throws {
        let (configuration, logger) = try options.load()
        do {
            let text =
                file == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: file, encoding: .utf8)
            let count = try await AdminCommands.insertDocuments(
                kind,
                lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                configuration,
                logger: logger
            )
            print("inserted \(count) \(kind.rawValue) document(s)")
        } catch {
            throw fail(error)
        }
    }
}

extension AdminCommands.DocumentKind: ExpressibleByArgument {}

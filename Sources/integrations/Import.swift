import ArgumentParser
import Foundation
import IntegrationsServer
import IntegrationsStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import users, integrations and integration history from a Rocket.Chat (mongoexport files).",
        discussion: """
            Reads what `mongoexport` writes for the users, rocketchat_integrations and rocketchat_integration_history \
            collections: one document per line, or --jsonArray; relaxed or canonical Extended JSON. Dates become \
            Rocket.Chat's ISO strings, $numberDecimal keeps its digits, users keep their bcrypt hashes and hashed login \
            tokens. Upserts by _id, so importing twice changes nothing. Bad records are reported with their line and id \
            and skipped; the exit code is then 1.
            """
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "A mongoexport file of the users collection.") var users: String?
    @Option(help: "A mongoexport file of rocketchat_integrations.") var integrations: String?
    @Option(help: "A mongoexport file of rocketchat_integration_history.") var history: String?
    @Flag(help: "Check every record, write nothing.") var dryRun = false
    @Option(help: "Records per database round trip.") var batchSize = 1000

    func validate() throws {
        guard users != nil || integrations != nil || history != nil else {
            throw ValidationError("name at least one file: --users, --integrations or --history")
        }
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 100000") }
    }

    func run() async throws {
        let (configuration, logger) = try options.load()
        var files: [(collection: ImportRepository.Collection, path: String)] = []
        if let users { files.append((.users, users)) }
        if let integrations { files.append((.integrations, integrations)) }
        if let history { files.append((.history, history)) }
        let importOptions = Importer.Options(files: files, dryRun: dryRun, batchSize: batchSize)
        let summary: Importer.Summary
        do {
            summary = try await AdminCommands.importRecords(importOptions, configuration, logger: logger)
        } catch {
            throw fail(error)
        }
        for problem in summary.problems {
            FileHandle.standardError.write(Data("import: skipped \(problem)\n".utf8))
        }
        let counts = ImportRepository.Collection.allCases.compactMap { collection in
            summary.imported[collection].map { "\($0) \(collection.rawValue)" }
        }.joined(separator: ", ")
        let verb = dryRun ? "checked (dry run, nothing written)" : "imported"
        print(
            "\(verb): \(counts.isEmpty ? "nothing" : counts); skipped \(summary.problems.count) bad record(s); "
                + "\(String(format: "%.1f", summary.seconds)) s"
        )
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import IntegrationsServer
import IntegrationsStore
import Logging

@main
struct IntegrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrations",
        abstract: "A Rocket.Chat-compatible Integrations REST API on PostgreSQL.",
        discussion: """
            Settings come from config/integrations.conf (or --config FILE, or CONFIG_FILE), overridden by environment \
            variables of the same names: \(ServiceConfiguration.settingNames.joined(separator: ", ")). Without \
            DATABASE_URL the service runs its own PostgreSQL cluster under DATA_DIR/postgres. The README documents each one.
            """,
        subcommands: [Serve.self, Worker.self, Migrate.self, Import.self, Admin.self, HealthCheck.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: config/integrations.conf when it exists).")
    var config: String?

    /// Loads the configuration and sets up logging; a bad setting stops here with a one-line message.
    /// `identity` is added to every log line (which process wrote it).
    func load(identity: Logger.Metadata = [:], adjust: (inout ServiceConfiguration) -> Void = { _ in }) throws -> (ServiceConfiguration, Logger) {
        var configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(file: config)
        } catch {
            FileHandle.standardError.write(Data("integrations: \(error)\n".utf8))
            throw ExitCode(2)
        }
        adjust(&configuration)
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                handler.metadata = identity
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                handler.metadata = identity
                return handler
            }
        }
        return (configuration, Logger(label: "integrations"))
    }
}

/// Prints a start-up failure as one line and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("integrations: \(error)\n".utf8))
    return ExitCode(1)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the service (the default command).",
        discussion: """
            Creates and starts the embedded PostgreSQL when DATABASE_URL is unset, applies the migrations, creates the \
            first administrator, then starts the worker processes that serve HTTP. Signals to this process: SIGTERM or \
            SIGINT drain the workers and stop (a second one kills them), SIGHUP re-reads the configuration and replaces \
            every worker without dropping a request, SIGTTIN and SIGTTOU add or remove a worker.
            """
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "Worker processes (default: WORKERS, or one per CPU core); 0 serves from this one process.")
    var workers: Int?

    func validate() throws {
        if let workers, !(0...256).contains(workers) { throw ValidationError("--workers must be from 0 to 256") }
    }

    func run() async throws {
        let identity: Logger.Metadata = ["pid": "\(getpid())", "process": "supervisor"]
        let (configuration, logger) = try options.load(identity: identity) { configuration in
            if let workers { configuration.workers = workers }
        }
        do {
            try await IntegrationsService.serve(configuration, configFile: options.config, logger: logger)
        } catch {
            throw fail(error)
        }
    }
}

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve HTTP as one worker of `serve` (which starts it); run by hand, a single-process server.",
        discussion: """
            Without --listen-fd this is `serve --workers 0`: everything in one process, for debugging.
            """
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "The inherited listening socket.") var listenFd: Int32?
    @Option(help: "The inherited control socket to the supervisor.") var controlFd: Int32?
    @Option(help: "The worker's slot, for the logs.") var index = 0
    @Option(help: "The configuration generation it belongs to, for the logs.") var generation = 0

    func validate() throws {
        guard (listenFd == nil) == (controlFd == nil) else { throw ValidationError("--listen-fd and --control-fd go together") }
        if let listenFd, listenFd < 3 { throw ValidationError("--listen-fd must be 3 or more") }
        if let controlFd, controlFd < 3 { throw ValidationError("--control-fd must be 3 or more") }
    }

    func run() async throws {
        guard let listenFd, let controlFd else {
            let (configuration, logger) = try options.load(identity: ["pid": "\(getpid())"]) { $0.workers = 0 }
            do {
                try await IntegrationsService.serve(configuration, configFile: options.config, logger: logger)
            } catch {
                throw fail(error)
            }
            return
        }
        let identity: Logger.Metadata = ["pid": "\(getpid())", "worker": "\(index)", "generation": "\(generation)"]
        let (configuration, logger) = try options.load(identity: identity)
        do {
            try await IntegrationsService.runWorker(configuration, slot: index, listenerDescriptor: listenFd, controlDescriptor: controlFd, logger: logger)
        } catch {
            throw fail(error)
        }
    }
}

struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the service on this machine answers GET /readyz with 200 (for a container HEALTHCHECK).",
        discussion: "Asks BIND_IP:PORT of the configuration (127.0.0.1 when BIND_IP is 0.0.0.0)."
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "The probe's path.") var path = "/readyz"

    func run() async throws {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(file: options.config)
        } catch {
            throw fail(error)
        }
        let host = HealthProbe.probeAddress(forBindIP: configuration.bindIP)
        guard HealthProbe.isHealthy(host: host, port: configuration.port, path: path) else {
            FileHandle.standardError.write(Data("integrations: \(host):\(configuration.port)\(path) is not healthy\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the SQL migrations of sql/ and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let (configuration, logger) = try options.load()
        do {
            try await IntegrationsService.migrate(configuration, logger: logger)
        } catch {
            throw fail(error)
        }
    }
}

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
            summary = try await IntegrationsService.importRecords(importOptions, configuration, logger: logger)
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
        print("\(verb): \(counts.isEmpty ? "nothing" : counts); skipped \(summary.problems.count) bad record(s); \(String(format: "%.1f", summary.seconds)) s")
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administrative tasks on the database.",
        subcommands: [InsertDocument.self]
    )
}

struct InsertDocument: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert",
        abstract: "Insert integration or history documents (JSON objects, one per line) through the data layer.",
        discussion: "Reads FILE, or standard input when FILE is '-'. Each line is one Rocket.Chat document as the REST API shows it."
    )

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What the documents are: integration or history.") var kind: IntegrationsService.DocumentKind
    @Argument(help: "A file of JSON documents, one per line, or '-' for standard input.") var file: String

    func run() async throws {
        let (configuration, logger) = try options.load()
        do {
            let text = file == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: file, encoding: .utf8)
            let count = try await IntegrationsService.insertDocuments(
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

extension IntegrationsService.DocumentKind: ExpressibleByArgument {}

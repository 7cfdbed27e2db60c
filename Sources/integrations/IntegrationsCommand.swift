import ArgumentParser
import Foundation
import IntegrationsServer
import IntegrationsStore
import LoadTest
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
        subcommands: [Serve.self, Worker.self, Migrate.self, Import.self, Admin.self, HealthCheck.self, LoadTestCommand.self],
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
            try await ServiceProcesses.serve(configuration, configFile: options.config, logger: logger)
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
                try await ServiceProcesses.serve(configuration, configFile: options.config, logger: logger)
            } catch {
                throw fail(error)
            }
            return
        }
        let identity: Logger.Metadata = ["pid": "\(getpid())", "worker": "\(index)", "generation": "\(generation)"]
        let (configuration, logger) = try options.load(identity: identity)
        do {
            try await ServiceProcesses.runWorker(
                configuration,
                slot: index,
                listenerDescriptor: listenFd,
                controlDescriptor: controlFd,
                logger: logger
            )
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

struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test integrations.get: seed a known data set, then drive authenticated gets and verify samples.",
        subcommands: [LoadTestSeed.self, LoadTestRun.self]
    )
}

/// The data set options `seed` and `run` share: `run` must know what `seed` wrote.
struct DataSetOptions: ParsableArguments {
    @Option(help: "Integrations in the data set.") var integrations = 10_000
    @Option(help: "Outgoing integrations with history records (default: all of them, half the integrations).")
    var historyIntegrations: Int?
    @Option(help: "History records of each of those.") var historyPerIntegration = 10

    func validate() throws {
        guard LoadDataSet.integrationLimit.contains(integrations) else {
            throw ValidationError("--integrations must be from 1 to \(LoadDataSet.integrationLimit.upperBound)")
        }
        if let historyIntegrations, !(0...integrations).contains(historyIntegrations) {
            throw ValidationError("--history-integrations must be from 0 to --integrations")
        }
        guard LoadDataSet.historyPerIntegrationLimit.contains(historyPerIntegration) else {
            throw ValidationError("--history-per-integration must be from 0 to \(LoadDataSet.historyPerIntegrationLimit.upperBound)")
        }
    }

    var dataSet: LoadDataSet {
        LoadDataSet(integrations: integrations, historyIntegrations: historyIntegrations, historyPerIntegration: historyPerIntegration)
    }
}

struct LoadTestSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write the load test's data set into the configured database (set-based SQL; existing rows are kept).",
        discussion: """
            100 users bench1…bench100 (user ids benchuser00000001…, tokens bench-token-1…): 1–10 admins, 11–55 with \
            only the own-integration permissions, 56–100 plain users; integrations benchint000000001… of both types \
            (~1 KB); history records like the API page's example on the outgoing ones.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var dataSet: DataSetOptions

    func run() async throws {
        let (configuration, logger) = try options.load()
        let set = dataSet.dataSet
        let started = ContinuousClock.now
        do {
            try await DatabaseSetup.withMigratedPool(configuration, logger: logger) { pool in
                try await set.seed(pool)
            }
        } catch {
            throw fail(error)
        }
        let history = set.historyIntegrations * set.historyPerIntegration
        print(
            "seeded \(set.integrations) integrations, \(history) history records, \(LoadDataSet.userCount) users in "
                + "\(String(format: "%.1f", started.duration(to: .now) / .seconds(1))) s"
        )
    }
}

struct LoadTestRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive integrations.get against a running service and report req/s, latency percentiles, statuses and errors.",
        discussion: """
            Closed loop by default (each connection sends its next request when the answer arrives); with --rate, \
            a constant total rate, latency measured from each request's intended send time so that stalls are not \
            hidden (coordinated omission). Every answer's status is checked against the data set, and the body of \
            every --check-every-th answer too. A progress line each second on standard error; the summary as text \
            on standard error and as JSON on standard output (or --json FILE). Exit code 1 when any answer was \
            wrong or any request failed.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var dataSet: DataSetOptions
    @Option(help: "The service (default: http://127.0.0.1:PORT with the configured PORT and ROOT_URL path).") var url: String?
    @Option(help: "Keep-alive connections.") var connections = 64
    @Option(help: "Seconds to run.") var duration = 10
    @Option(help: "Total requests per second (constant-rate mode); closed loop without it.") var rate: Int?
    @Option(help: "Stop after this many requests (or at the end of --duration).") var requests: Int?
    @Option(help: "Request kinds and weights: admin, admin-history, own, unknown.") var mix = RequestMix.standard.description
    @Option(help: "Check the body of every n-th answer of each connection (0: statuses only).") var checkEvery = 10
    @Option(help: "Event loop threads of the load generator.") var threads = 1
    @Option(help: "Seconds before an unanswered request counts as a timeout.") var timeout = 10
    @Option(help: "Seed of the random request sequence.") var seed: UInt64 = 1
    @Option(help: "Write the JSON summary to this file instead of standard output.") var json: String?
    @Flag(help: "No progress line.") var quiet = false

    func validate() throws {
        _ = try makeOptions(defaultTarget: LoadTest.Target(host: "127.0.0.1", port: 3000))
    }

    /// The load test's options from the flags; `defaultTarget` when there is no --url.
    private func makeOptions(defaultTarget: LoadTest.Target) throws -> LoadTest.Options {
        do throws(LoadTestError) {
            var loadOptions = LoadTest.Options(
                target: try url.map { text throws(LoadTestError) in try LoadTest.Target(parsing: text) } ?? defaultTarget
            )
            loadOptions.mix = try RequestMix(parsing: mix)
            loadOptions.connections = connections
            loadOptions.duration = .seconds(duration)
            loadOptions.rate = rate
            loadOptions.requestLimit = requests
            loadOptions.dataSet = dataSet.dataSet
            loadOptions.checkEvery = checkEvery
            loadOptions.threads = threads
            loadOptions.requestTimeout = .seconds(timeout)
            loadOptions.seed = seed
            try loadOptions.validate()
            return loadOptions
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let (configuration, _) = try options.load()
        let loadOptions = try makeOptions(
            defaultTarget: LoadTest.Target(host: "127.0.0.1", port: configuration.port, pathPrefix: configuration.pathPrefix)
        )
        let showProgress = !quiet
        let report: LoadTestReport
        do {
            report = try await LoadTest.run(loadOptions) { progress in
                guard showProgress else { return }
                let line = String(
                    format: "%4ds  %9d requests  %8.0f req/s  p99 %7.2f ms  unexpected %d  errors %d  wrong %d\n",
                    Int(progress.elapsed.components.seconds),
                    progress.responses,
                    progress.recentRate,
                    progress.p99Milliseconds,
                    progress.unexpectedStatuses,
                    progress.errors,
                    progress.failedChecks
                )
                FileHandle.standardError.write(Data(line.utf8))
            }
        } catch {
            throw fail(error)
        }
        FileHandle.standardError.write(Data((report.text + "\n").utf8))
        let summary = try report.json() + "\n"
        if let json {
            try summary.write(toFile: json, atomically: true, encoding: .utf8)
        } else {
            FileHandle.standardOutput.write(Data(summary.utf8))
        }
        if !report.passed { throw ExitCode(1) }
    }
}

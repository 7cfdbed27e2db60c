import ArgumentParser
import Foundation
import IntegrationsServer
import Logging

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

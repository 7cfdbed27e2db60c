import ArgumentParser
import Foundation
import IntegrationsServer
import Logging

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

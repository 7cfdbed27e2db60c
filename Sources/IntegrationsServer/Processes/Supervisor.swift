import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor process: opens the listening socket, keeps the workers running and answers signals.
///
/// One task does everything, every 50 ms or on a signal: it reads the workers' control sockets (ready,
/// heartbeats), reaps the ones that exited (`waitpid` with `WNOHANG`), and feeds what it saw to
/// ``SupervisorStateMachine``, whose actions (start, signal, log) it carries out. The run returns once a stop
/// has drained every worker; the service group then stops the retention job and the pool, and the caller
/// stops the embedded PostgreSQL.
///
/// Signals: `SIGTERM`/`SIGINT` drain and stop (a second one kills the workers), `SIGHUP` re-reads the
/// configuration and replaces every worker without dropping a connection, `SIGTTIN`/`SIGTTOU` add or remove one.
public struct Supervisor: Service {
    /// Re-reads the configuration on `SIGHUP`; a configuration it refuses leaves everything as it is.
    public typealias ConfigurationLoader = @Sendable () throws -> ServiceConfiguration

    let configuration: ServiceConfiguration
    let launcher: WorkerLauncher
    let loadConfiguration: ConfigurationLoader
    let onFirstWorkerReady: @Sendable (_ port: Int) -> Void
    let logger: Logger
    let tick: Duration = .milliseconds(50)

    /// - Parameters:
    ///   - conninfo: the database every worker uses (the embedded cluster's, or `DATABASE_URL`).
    ///   - configFile: passed to the workers so that they read the same file.
    public init(
        configuration: ServiceConfiguration,
        conninfo: String,
        configFile: String?,
        workerEnvironment: [String: String] = [:],
        loadConfiguration: @escaping ConfigurationLoader,
        logger: Logger,
        onFirstWorkerReady: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.launcher = WorkerLauncher(configFile: configFile, environment: workerEnvironment.merging(["DATABASE_URL": conninfo]) { $1 })
        self.loadConfiguration = loadConfiguration
        self.onFirstWorkerReady = onFirstWorkerReady
        self.logger = logger
    }

    private enum Event: Sendable {
        case signal(CInt)
        case tick
        case stop
    }

    public func run() async throws {
        var configuration = configuration
        var listener = try ListeningSocket(host: configuration.bindIP, port: configuration.port)
        var logger = logger
        logger.notice("listening", metadata: ["address": "\(configuration.bindIP):\(listener.port)", "workers": "\(configuration.workerCount)"])

        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let signals = SignalStream.make([SIGTERM, SIGINT, SIGHUP, SIGTTIN, SIGTTOU])
        var machine = SupervisorStateMachine(settings: .init(configuration))
        var controls: [pid_t: CInt] = [:]
        var announced = false
        var finished = false
        var listenerOpen = true
        // `integrations_worker_restarts_total`: starts of a slot that already had a worker of the same generation.
        var startedSlots = Set<[Int]>()
        let restarts = Counter(label: "integrations_worker_restarts_total")
        let running = Gauge(label: "integrations_workers")

        func perform(_ actions: [SupervisorStateMachine.Action]) {
            for action in actions {
                switch action {
                case .spawn(let slot, let generation):
                    if !startedSlots.insert([slot, generation]).inserted { restarts.increment() }
                    do {
                        let started = try launcher.spawn(slot: slot, generation: generation, listener: listener.descriptor)
                        controls[started.pid] = started.control
                        running.record(controls.count)
                        perform(machine.spawned(slot: slot, generation: generation, pid: started.pid, now: .now))
                    } catch {
                        perform(machine.spawnFailed(slot: slot, generation: generation, reason: error.description, now: .now))
                    }
                case .signal(let pid, let signal):
                    kill(pid, signal == .kill ? SIGKILL : SIGTERM)
                case .log(let level, let message):
                    logger.log(level: level, "\(message)")
                case .finish:
                    finished = true
                }
            }
        }

        func stop() {
            if listenerOpen {
                listener.close()
                listenerOpen = false
            }
            perform(machine.stop(now: .now))
        }

        func reload() {
            let reloaded: ServiceConfiguration
            do {
                reloaded = try loadConfiguration()
            } catch {
                logger.error("reload refused, nothing changed: \(error)")
                return
            }
            if reloaded.databaseURL != configuration.databaseURL || reloaded.dataDirectory != configuration.dataDirectory
                || reloaded.embeddedPostgresPort != configuration.embeddedPostgresPort
            {
                logger.warning("the database settings changed; they apply at the next start, workers keep the current database")
            }
            if reloaded.bindIP != configuration.bindIP || reloaded.port != configuration.port {
                do {
                    let moved = try ListeningSocket(host: reloaded.bindIP, port: reloaded.port)
                    listener.close()
                    listener = moved
                    logger.notice("listening", metadata: ["address": "\(reloaded.bindIP):\(moved.port)"])
                } catch {
                    logger.error("reload refused, nothing changed: \(error)")
                    return
                }
            }
            configuration = reloaded
            logger.logLevel = reloaded.logLevel
            perform(machine.reload(settings: .init(reloaded), now: .now))
        }

        /// Reads what each worker sent since the last tick, then reaps the workers that are gone.
        func poll() {
            var buffer = [UInt8](repeating: 0, count: 256)
            for (pid, control) in controls {
                var readyNow = false
                var heard = false
                while true {
                    let count = recv(control, &buffer, buffer.count, CInt(MSG_DONTWAIT))
                    guard count > 0 else { break }
                    heard = true
                    if buffer[0..<count].contains(WorkerHeartbeat.readyByte) { readyNow = true }
                }
                if readyNow {
                    perform(machine.ready(pid: pid, now: .now))
                    if !announced {
                        announced = true
                        onFirstWorkerReady(listener.port)
                    }
                } else if heard {
                    machine.heard(pid: pid, now: .now)
                }
            }
            for (pid, status) in reapExited(workers: Array(controls.keys)) {
                guard let control = controls.removeValue(forKey: pid) else { continue }
                close(control)
                running.record(controls.count)
                perform(machine.exited(pid: pid, status: status.description, now: .now))
            }
            perform(machine.tick(now: .now))
        }

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await number in signals { sink.yield(.signal(number)) }
                }
                group.addTask { [tick] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: tick)
                        sink.yield(.tick)
                    }
                }
                perform(machine.start())
                for await event in events {
                    switch event {
                    case .signal(SIGTERM), .signal(SIGINT), .stop:
                        stop()
                    case .signal(SIGHUP):
                        reload()
                    case .signal(SIGTTIN):
                        perform(machine.addWorker(now: .now))
                    case .signal(SIGTTOU):
                        perform(machine.removeWorker(now: .now))
                    case .signal, .tick:
                        poll()
                    }
                    if finished { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            sink.yield(.stop)
        }
        if listenerOpen { listener.close() }
        logger.notice("all workers stopped")
    }
}

/// The workers that have exited, reaped. As PID 1 (a container without an init process) every orphan of the
/// container is reparented to the supervisor, so then it reaps any child, or they would stay zombies; otherwise
/// only its workers, so that a `waitpid` elsewhere in the process never loses its child.
private func reapExited(workers: [pid_t]) -> [(pid_t, ExitStatus)] {
    var reaped: [(pid_t, ExitStatus)] = []
    var status: Int32 = 0
    if getpid() == 1 {
        while case let pid = waitpid(-1, &status, WNOHANG), pid > 0 {
            reaped.append((pid, ExitStatus(waitStatus: status)))
        }
    } else {
        for pid in workers where waitpid(pid, &status, WNOHANG) == pid {
            reaped.append((pid, ExitStatus(waitStatus: status)))
        }
    }
    return reaped
}

extension SupervisorStateMachine.Settings {
    init(_ configuration: ServiceConfiguration) {
        self.init(
            workers: configuration.workerCount,
            heartbeatTimeout: .milliseconds(configuration.workerHeartbeatTimeoutMilliseconds),
            gracefulTimeout: .milliseconds(configuration.gracefulTimeoutMilliseconds)
        )
    }
}

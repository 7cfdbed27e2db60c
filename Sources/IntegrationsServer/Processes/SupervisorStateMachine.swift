import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's decisions, without any I/O: which worker to start, signal or forget, given what happened.
///
/// Workers live in slots `0..<workers`. A slot whose worker exits unexpectedly is restarted, at once the first
/// time and then with a doubling delay (a crash loop is reported, never spun on). A reload starts a new
/// generation in every slot and retires the old worker of a slot only when its successor is ready, so a
/// failed reload leaves the old workers serving. All times come from the caller.
struct SupervisorStateMachine {
    typealias Instant = ContinuousClock.Instant

    struct Settings: Equatable, Sendable {
        /// How many workers to keep.
        var workers: Int
        /// A worker that sends nothing (no heartbeat, no ready) for this long is killed and replaced.
        var heartbeatTimeout: Duration
        /// How long a stopping worker may take to finish its requests before it is killed.
        var gracefulTimeout: Duration
    }

    enum Signal: Equatable, Sendable {
        case terminate, kill
    }

    enum Action: Equatable, Sendable {
        case spawn(slot: Int, generation: Int)
        case signal(pid_t, Signal)
        case log(Logger.Level, String)
        /// Every worker is gone after a stop: the supervisor can stop the database and exit.
        case finish
    }

    struct Worker: Equatable, Sendable {
        enum State: Equatable, Sendable {
            case starting, ready
            /// Asked to drain and exit (reload, fewer workers, stop); not restarted.
            case retiring(since: Instant)
            /// Killed for missing its heartbeat; its slot is restarted when it is gone.
            case killed
        }

        let slot: Int
        let generation: Int
        let pid: pid_t
        let startedAt: Instant
        var readyAt: Instant?
        var lastHeard: Instant
        var state: State
    }

    private enum Phase: Equatable {
        case running
        case stopping(since: Instant)
        case forcedStop
    }

    /// A worker that ran ready for this long before exiting starts its slot's failure count afresh.
    static let healthyRun: Duration = .seconds(10)
    /// The delay before restarting a slot after its n-th consecutive failure (n ≥ 2): 250 ms doubling, at most 10 s.
    static func restartDelay(failures: Int) -> Duration {
        guard failures > 1 else { return .zero }
        let milliseconds = 250 * (1 << min(failures - 2, 6))
        return .milliseconds(min(milliseconds, 10_000))
    }
    /// Consecutive failures from which a slot is reported as crash-looping.
    static let crashLoopThreshold = 3
    /// Time allowed beyond the graceful timeout before a stopping worker is killed.
    static let killMargin: Duration = .seconds(2)

    private(set) var settings: Settings
    private(set) var generation = 0
    private(set) var workers: [pid_t: Worker] = [:]
    private var phase = Phase.running
    /// Slot → consecutive failures.
    private var failures: [Int: Int] = [:]
    /// Slot → when its next worker may start.
    private var pendingStarts: [Int: Instant] = [:]

    init(settings: Settings) {
        self.settings = settings
    }

    /// Whether a stop has begun.
    var isStopping: Bool { phase != .running }

    // MARK: Events

    mutating func start() -> [Action] {
        (0..<settings.workers).map { .spawn(slot: $0, generation: generation) }
    }

    mutating func spawned(slot: Int, generation: Int, pid: pid_t, now: Instant) -> [Action] {
        workers[pid] = Worker(slot: slot, generation: generation, pid: pid, startedAt: now, lastHeard: now, state: .starting)
        var actions: [Action] = [.log(.info, "started worker \(slot) (pid \(pid), generation \(generation))")]
        if isStopping { actions.append(.signal(pid, .terminate)) }
        return actions
    }

    mutating func spawnFailed(slot: Int, generation: Int, reason: String, now: Instant) -> [Action] {
        var actions: [Action] = [.log(.error, "cannot start worker \(slot): \(reason)")]
        actions += scheduleRestart(slot: slot, healthy: false, now: now)
        return actions
    }

    mutating func ready(pid: pid_t, now: Instant) -> [Action] {
        guard var worker = workers[pid] else { return [] }
        worker.lastHeard = now
        guard worker.state == .starting else {
            workers[pid] = worker
            return []
        }
        worker.state = .ready
        worker.readyAt = now
        workers[pid] = worker
        var actions: [Action] = [.log(.info, "worker \(worker.slot) (pid \(pid)) ready")]
        guard worker.generation == generation, !isStopping else { return actions }
        // The successor is serving: its predecessors in the slot drain.
        for older in workers.values where older.slot == worker.slot && older.generation < worker.generation {
            actions += retire(older.pid, now: now, reason: "replaced by pid \(pid)")
        }
        let readySlots = Set(workers.values.filter { $0.generation == generation && $0.state == .ready }.map(\.slot))
        if readySlots.isSuperset(of: 0..<settings.workers) {
            for older in workers.values where older.generation < generation {
                actions += retire(older.pid, now: now, reason: "reload complete")
            }
        }
        return actions
    }

    mutating func heard(pid: pid_t, now: Instant) {
        workers[pid]?.lastHeard = now
    }

    mutating func exited(pid: pid_t, status: String, now: Instant) -> [Action] {
        guard let worker = workers.removeValue(forKey: pid) else { return [] }
        var actions: [Action] = []
        switch worker.state {
        case .retiring:
            actions.append(.log(.info, "worker \(worker.slot) (pid \(pid)) stopped: \(status)"))
        case .killed:
            actions.append(.log(.warning, "worker \(worker.slot) (pid \(pid)) killed after missing heartbeats: \(status)"))
            actions += restartIfNeeded(worker, healthy: false, now: now)
        case .starting, .ready:
            if isStopping {
                actions.append(.log(.info, "worker \(worker.slot) (pid \(pid)) stopped: \(status)"))
            } else {
                actions.append(.log(.warning, "worker \(worker.slot) (pid \(pid)) exited unexpectedly: \(status)"))
                let healthy = worker.readyAt.map { now - $0 >= Self.healthyRun } ?? false
                actions += restartIfNeeded(worker, healthy: healthy, now: now)
            }
        }
        if isStopping && workers.isEmpty { actions.append(.finish) }
        return actions
    }

    mutating func tick(now: Instant) -> [Action] {
        var actions: [Action] = []
        switch phase {
        case .running:
            for (slot, due) in pendingStarts.sorted(by: { $0.key < $1.key }) where due <= now {
                pendingStarts[slot] = nil
                actions.append(.spawn(slot: slot, generation: generation))
            }
            for worker in workers.values.sorted(by: { $0.pid < $1.pid }) {
                switch worker.state {
                case .starting, .ready:
                    if now - worker.lastHeard > settings.heartbeatTimeout {
                        workers[worker.pid]?.state = .killed
                        actions.append(
                            .log(.error, "worker \(worker.slot) (pid \(worker.pid)) sent no heartbeat for \(settings.heartbeatTimeout); killing it")
                        )
                        actions.append(.signal(worker.pid, .kill))
                    }
                case .retiring(let since):
                    if now - since > settings.gracefulTimeout + Self.killMargin {
                        workers[worker.pid]?.state = .killed
                        actions.append(
                            .log(.warning, "worker \(worker.slot) (pid \(worker.pid)) did not drain within \(settings.gracefulTimeout); killing it")
                        )
                        actions.append(.signal(worker.pid, .kill))
                    }
                case .killed:
                    break
                }
            }
        case .stopping(let since):
            if now - since > settings.gracefulTimeout + Self.killMargin {
                actions += forceStop(reason: "graceful timeout of \(settings.gracefulTimeout) passed")
            }
        case .forcedStop:
            break
        }
        return actions
    }

    /// SIGTERM or SIGINT: the first drains every worker, a second one kills them.
    mutating func stop(now: Instant) -> [Action] {
        switch phase {
        case .running:
            phase = .stopping(since: now)
            pendingStarts = [:]
            var actions: [Action] = [.log(.notice, "stopping: draining \(workers.count) worker(s)")]
            for worker in workers.values.sorted(by: { $0.pid < $1.pid }) {
                if case .retiring = worker.state { continue }
                workers[worker.pid]?.state = .retiring(since: now)
                actions.append(.signal(worker.pid, .terminate))
            }
            if workers.isEmpty { actions.append(.finish) }
            return actions
        case .stopping:
            return forceStop(reason: "second stop signal")
        case .forcedStop:
            return []
        }
    }

    /// SIGHUP: a new generation of workers with the new settings; the old ones drain as their successors get ready.
    mutating func reload(settings newSettings: Settings, now: Instant) -> [Action] {
        guard !isStopping else { return [] }
        settings = newSettings
        generation += 1
        pendingStarts = [:]
        failures = [:]
        var actions: [Action] = [.log(.notice, "reloading: starting generation \(generation) with \(settings.workers) worker(s)")]
        actions += (0..<settings.workers).map { .spawn(slot: $0, generation: generation) }
        return actions
    }

    /// SIGTTIN: one more worker.
    mutating func addWorker(now: Instant) -> [Action] {
        guard !isStopping else { return [] }
        settings.workers += 1
        let slot = settings.workers - 1
        return [.log(.notice, "adding worker \(slot): \(settings.workers) worker(s)"), .spawn(slot: slot, generation: generation)]
    }

    /// SIGTTOU: one worker fewer (never fewer than one).
    mutating func removeWorker(now: Instant) -> [Action] {
        guard !isStopping, settings.workers > 1 else { return [] }
        settings.workers -= 1
        let slot = settings.workers
        pendingStarts[slot] = nil
        failures[slot] = nil
        var actions: [Action] = [.log(.notice, "removing worker \(slot): \(settings.workers) worker(s)")]
        for worker in workers.values where worker.slot == slot {
            actions += retire(worker.pid, now: now, reason: "fewer workers")
        }
        return actions
    }

    // MARK: Helpers

    private mutating func retire(_ pid: pid_t, now: Instant, reason: String) -> [Action] {
        guard let worker = workers[pid] else { return [] }
        switch worker.state {
        case .retiring, .killed:
            return []
        case .starting, .ready:
            workers[pid]?.state = .retiring(since: now)
            return [.log(.info, "retiring worker \(worker.slot) (pid \(pid)): \(reason)"), .signal(pid, .terminate)]
        }
    }

    private mutating func restartIfNeeded(_ worker: Worker, healthy: Bool, now: Instant) -> [Action] {
        guard worker.generation == generation, worker.slot < settings.workers, !isStopping else { return [] }
        let hasSuccessor = workers.values.contains { $0.slot == worker.slot && $0.generation == generation && $0.state != .killed }
        guard !hasSuccessor else { return [] }
        return scheduleRestart(slot: worker.slot, healthy: healthy, now: now)
    }

    private mutating func scheduleRestart(slot: Int, healthy: Bool, now: Instant) -> [Action] {
        guard !isStopping, slot < settings.workers else { return [] }
        let count = (healthy ? 0 : failures[slot, default: 0]) + 1
        failures[slot] = count
        let delay = Self.restartDelay(failures: count)
        var actions: [Action] = []
        if count >= Self.crashLoopThreshold {
            actions.append(.log(.error, "worker \(slot) is crash-looping (\(count) failures in a row); next start in \(delay)"))
        }
        if delay == .zero {
            actions.append(.spawn(slot: slot, generation: generation))
        } else {
            pendingStarts[slot] = now + delay
        }
        return actions
    }

    private mutating func forceStop(reason: String) -> [Action] {
        phase = .forcedStop
        var actions: [Action] = [.log(.warning, "killing \(workers.count) worker(s): \(reason)")]
        for worker in workers.values.sorted(by: { $0.pid < $1.pid }) {
            workers[worker.pid]?.state = .retiring(since: worker.startedAt)
            actions.append(.signal(worker.pid, .kill))
        }
        if workers.isEmpty { actions.append(.finish) }
        return actions
    }
}

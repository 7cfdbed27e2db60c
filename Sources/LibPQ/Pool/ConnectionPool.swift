import Logging
import Metrics
import Synchronization

/// A pool of ``Connection``s with an acquire deadline, reconnection with backoff, and a statement catalogue
/// that every connection prepares once.
///
/// A caller that cannot get a connection before ``Configuration/acquireTimeout`` gets
/// ``PostgresError/Code/acquireTimeout`` instead of waiting forever; a connection that breaks is
/// discarded (with its idle siblings, which a server restart has broken too) and replaced.
public final class ConnectionPool: Sendable {
    public struct Configuration: Sendable {
        /// A libpq connection string: `postgres://user:pass@host:port/db` or `host=… dbname=…`.
        public var conninfo: String
        /// Connections opened at start and kept open.
        public var minimumConnections: Int
        /// The most connections open at once; also the most queries in flight.
        public var maximumConnections: Int
        /// How long a caller waits for a connection before ``PostgresError/Code/acquireTimeout``.
        public var acquireTimeout: Duration
        /// The statements every connection prepares right after connecting.
        public var catalogue: [PreparedStatement]
        /// How many single statements (``ConnectionPool/query(_:_:)``) may share one connection at a time; its
        /// owner sends those queued together in one pipeline. 1: every statement has a connection to itself.
        public var pipelineDepth: Int
        /// Run-time parameters every connection sets for its session (`set_config`) before it prepares the
        /// catalogue: planner settings for a pool whose statements need them.
        public var sessionParameters: [SessionParameter]

        public init(
            conninfo: String,
            minimumConnections: Int = 1,
            maximumConnections: Int = 4,
            acquireTimeout: Duration = .seconds(5),
            pipelineDepth: Int = 64,
            sessionParameters: [SessionParameter] = [],
            catalogue: [PreparedStatement]
        ) {
            self.conninfo = conninfo
            self.minimumConnections = minimumConnections
            self.maximumConnections = maximumConnections
            self.acquireTimeout = acquireTimeout
            self.pipelineDepth = pipelineDepth
            self.catalogue = catalogue
            self.sessionParameters = sessionParameters
        }
    }

    private typealias Machine = PoolStateMachine<Connection, UInt64>

    /// A connection leased for single statements, which concurrent statements may share.
    private struct SharedLease {
        let connection: Connection
        var users: Int
        /// A statement found it broken: no more sharing; discarded when the last user is done.
        var broken = false
    }

    /// A caller waiting for a connection.
    private struct Waiter {
        let continuation: CheckedContinuation<Connection, any Error>
        /// When it gives up.
        let deadline: ContinuousClock.Instant
        /// A single statement: it may share the connection it is handed with the statements waiting behind it.
        let isStatement: Bool
    }

    private struct State: ~Copyable {
        var machine: Machine
        /// Connections leased by ``query(_:_:)``, by connection id.
        var shared: [Int: SharedLease] = [:]
        /// Callers waiting for a connection.
        var waiting: [UInt64: Waiter] = [:]
        /// Fails the waiters whose deadline passed; started with the first wait, stopped by `shutdown`.
        var sweeper: Task<Void, Never>?
        var nextWaiter: UInt64 = 0
        var nextConnection = 0
        var acquireTimeouts = 0
    }

    /// A snapshot of the pool, for readiness checks and metrics.
    public struct Statistics: Sendable, Equatable {
        /// Connections open and free.
        public var idle: Int
        /// Connections in use.
        public var leased: Int
        /// Connection attempts in progress.
        public var connecting: Int
        /// Callers waiting for a connection.
        public var waiting: Int
        /// `maximumConnections`.
        public var maximum: Int
        /// Failed connection attempts since the last success (0 when PostgreSQL answers).
        public var consecutiveFailures: Int
        /// Callers that gave up waiting (`acquireTimeout`), since the pool started.
        public var acquireTimeouts: Int
        /// Pipelines of two statements or more sent since the pool started, and the statements they carried.
        public var pipelines = 0
        public var pipelinedStatements = 0

        /// PostgreSQL is known to be unreachable: no connection is open and the last attempt failed.
        public var isFailing: Bool { consecutiveFailures > 0 && idle == 0 && leased == 0 }
    }

    public var statistics: Statistics {
        let (pipelines, pipelinedStatements) = pipelineCounters.snapshot
        return state.withLock { state in
            Statistics(
                idle: state.machine.idle.count,
                leased: state.machine.leased,
                connecting: state.machine.connecting,
                waiting: state.machine.waiters.count,
                maximum: configuration.maximumConnections,
                consecutiveFailures: state.machine.consecutiveFailures,
                acquireTimeouts: state.acquireTimeouts,
                pipelines: pipelines,
                pipelinedStatements: pipelinedStatements
            )
        }
    }

    public let configuration: Configuration
    private let logger: Logger
    private let state: Mutex<State>
    private let queryTimers = Mutex<[String: Timer]>([:])
    private let pipelineCounters = PipelineCounters()

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let limits = Machine.Limits(minimum: configuration.minimumConnections, maximum: configuration.maximumConnections)
        self.state = Mutex(State(machine: Machine(limits: limits)))
    }

    /// Opens the minimum number of connections in the background.
    public func start() {
        let count = state.withLock { $0.machine.start() }
        for _ in 0..<count { connect(after: 0) }
    }

    /// Fails every waiting caller and closes idle connections; leased ones close when they come back.
    public func shutdown() {
        let (connections, waiters, sweeper) = state.withLock { state in
            let (connections, waiterIDs) = state.machine.close()
            let waiters = waiterIDs.compactMap { state.waiting.removeValue(forKey: $0) }
            defer { state.sweeper = nil }
            return (connections, waiters, state.sweeper)
        }
        sweeper?.cancel()
        for connection in connections { connection.close() }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.poolClosed, message: "the connection pool is shut down"))
        }
    }

    /// Runs a prepared statement of the catalogue on a pooled connection.
    ///
    /// An idempotent statement that meets a broken connection is retried once on another connection.
    public func query(_ statement: PreparedStatement, _ parameters: [String?]) async throws -> QueryResult {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await leaseForStatement()
            do {
                let started = ContinuousClock.now
                let result = try await connection.execute(statement, parameters)
                recordQuery(statement.name, since: started)
                releaseStatement(connection, broken: false)
                return result
            } catch let error as PostgresError where error.code == .connectionBroken {
                releaseStatement(connection, broken: true)
                logger.warning("PostgreSQL connection broke", metadata: ["connection": "\(connection.id)", "error": "\(error)"])
                if attempt == 1 && statement.isIdempotent { continue }
                throw error
            } catch {
                releaseStatement(connection, broken: false)
                throw error
            }
        }
    }

    /// `db_query_duration_seconds{statement}`: from handing the job to the connection's owner thread to its
    /// result. One timer per statement, made once (a look-up in the metrics registry costs microseconds).
    private func recordQuery(_ name: String, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let timer = queryTimers.withLock { timers in
            if let timer = timers[name] { return timer }
            let timer = Timer(label: "db_query_duration_seconds", dimensions: [("statement", name)])
            timers[name] = timer
            return timer
        }
        timer.record(duration: elapsed)
    }

    /// Runs `body` with one connection's session on its owner thread, for work that needs several statements
    /// on one connection (transactions, migrations). `body` must not block on anything but the database.
    public func withSession<R: Sendable>(_ body: @escaping @Sendable (Session) throws -> R) async throws -> R {
        let connection = try await lease()
        let started = ContinuousClock.now
        defer { recordQuery("session", since: started) }
        let (result, broken): (Result<R, any Error>, Bool)
        do {
            (result, broken) = try await connection.run { session in
                let result = Result { try body(session) }
                return (result, session.isBroken)
            }
        } catch {
            release(connection, broken: true)
            throw error
        }
        release(connection, broken: broken)
        return try result.get()
    }

    // MARK: - Leasing

    /// A connection for one statement: a share of a connection that other statements use (below
    /// ``Configuration/pipelineDepth``; the busiest such one, so that statements gather into long pipelines and
    /// the other connections stay free for transactions), else a lease of its own, waiting if need be. No
    /// sharing while callers wait for a connection, so that shared connections come back to the pool.
    private func leaseForStatement() async throws -> Connection {
        let share = state.withLock { state -> Connection? in
            guard configuration.pipelineDepth > 1, state.waiting.isEmpty else { return nil }
            var busiest: SharedLease?
            for lease in state.shared.values where !lease.broken && lease.users < configuration.pipelineDepth {
                if lease.users > busiest?.users ?? 0 { busiest = lease }
            }
            guard let busiest else { return nil }
            state.shared[busiest.connection.id]?.users += 1
            return busiest.connection
        }
        if let share { return share }
        // Registered as a shared lease when it is handed over, under the same lock (see `lease` and `perform`).
        return try await lease(forStatement: true)
    }

    /// Ends one statement's use of a connection; the last user gives it back to the pool.
    private func releaseStatement(_ connection: Connection, broken: Bool) {
        let giveBack = state.withLock { state -> Bool? in
            guard var lease = state.shared[connection.id] else { return broken }
            lease.users -= 1
            lease.broken = lease.broken || broken
            if lease.users > 0 {
                state.shared[connection.id] = lease
                return nil
            }
            state.shared[connection.id] = nil
            return lease.broken
        }
        if let giveBack { release(connection, broken: giveBack) }
    }

    private func lease(forStatement: Bool = false) async throws -> Connection {
        let waiter = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Connection, any Error>) in
                let (action, startSweeper) = state.withLock { state in
                    let action = state.machine.lease(waiter)
                    if forStatement, case .use(let connection) = action {
                        state.shared[connection.id] = SharedLease(connection: connection, users: 1)
                    }
                    guard case .wait = action else { return (action, false) }
                    state.waiting[waiter] = Waiter(
                        continuation: continuation,
                        deadline: .now + configuration.acquireTimeout,
                        isStatement: forStatement
                    )
                    return (action, state.sweeper == nil)
                }
                if startSweeper { startSweeping() }
                switch action {
                case .use(let connection):
                    continuation.resume(returning: connection)
                case .fail(let error):
                    continuation.resume(throwing: error)
                case .wait(let shouldConnect):
                    if shouldConnect { connect(after: 0) }
                }
            }
        } onCancel: {
            abandon(waiter, because: PostgresError(.acquireTimeout, message: "the request was cancelled while waiting for a connection"))
        }
    }

    /// One task for every waiter's deadline, waking every tenth of the acquire timeout (at most 100 ms): a
    /// timer per waiter would cost a task and a dispatch timer on every request that waits.
    private func startSweeping() {
        let tick = max(.milliseconds(10), min(.milliseconds(100), configuration.acquireTimeout / 10))
        let sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                guard let self else { return }
                let now = ContinuousClock.now
                let expired = self.state.withLock { state in state.waiting.filter { $0.value.deadline <= now }.map(\.key) }
                for waiter in expired { self.expire(waiter) }
            }
        }
        let keep = state.withLock { state in
            guard state.sweeper == nil, !state.machine.isClosed else { return false }
            state.sweeper = sweeper
            return true
        }
        if !keep { sweeper.cancel() }
    }

    /// Fails a waiter whose deadline passed with `acquireTimeout`, naming the last connection failure if any.
    private func expire(_ waiter: UInt64) {
        let (entry, cause) = state.withLock { state -> (Waiter?, PostgresError?) in
            guard state.machine.cancel(waiter), let entry = state.waiting.removeValue(forKey: waiter) else { return (nil, nil) }
            state.acquireTimeouts += 1
            return (entry, state.machine.lastFailure)
        }
        guard let entry else { return }
        var message = "no PostgreSQL connection became available within \(configuration.acquireTimeout)"
        if let cause { message += " (last connection attempt: \(cause.message))" }
        entry.continuation.resume(throwing: PostgresError(.acquireTimeout, message: message))
    }

    private func abandon(_ waiter: UInt64, because error: PostgresError) {
        let entry = state.withLock { state -> Waiter? in
            guard state.machine.cancel(waiter) else { return nil }
            return state.waiting.removeValue(forKey: waiter)
        }
        entry?.continuation.resume(throwing: error)
    }

    private func release(_ connection: Connection, broken: Bool) {
        let actions = state.withLock { $0.machine.release(connection, broken: broken) }
        actions.forEach(perform)
    }

    // MARK: - Connecting

    private func connect(after delay: Double) {
        let id = state.withLock { state in
            state.nextConnection += 1
            return state.nextConnection
        }
        Task {
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            let action: Machine.Action
            do {
                let connection = try await Connection.connect(
                    id: id,
                    conninfo: configuration.conninfo,
                    sessionParameters: configuration.sessionParameters,
                    catalogue: configuration.catalogue,
                    counters: pipelineCounters
                )
                action = state.withLock { $0.machine.connected(connection) }
            } catch {
                let error = (error as? PostgresError) ?? PostgresError(.connectionFailed, message: "\(error)")
                let (next, failures) = state.withLock { ($0.machine.connectFailed(error), $0.machine.consecutiveFailures) }
                // The first failure of a series is worth a warning; the retries that follow are not.
                logger.log(
                    level: failures == 1 ? .warning : .debug,
                    "cannot connect to PostgreSQL",
                    metadata: ["error": "\(error.message)", "attempt": "\(failures)"]
                )
                action = next
            }
            perform(action)
        }
    }

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none:
            break
        case .hand(let connection, let waiter):
            let handed = state.withLock { state -> [Waiter] in
                guard let first = state.waiting.removeValue(forKey: waiter) else { return [] }
                guard first.isStatement else { return [first] }
                // The statements waiting behind a statement share its connection, oldest first: a queue of
                // statements leaves as pipelines, not one at a time.
                var group = [first]
                for other in state.machine.waiters where group.count < configuration.pipelineDepth {
                    guard state.waiting[other]?.isStatement == true, state.machine.cancel(other),
                        let entry = state.waiting.removeValue(forKey: other)
                    else { continue }
                    group.append(entry)
                }
                state.shared[connection.id] = SharedLease(connection: connection, users: group.count)
                return group
            }
            if handed.isEmpty { release(connection, broken: false) }
            for entry in handed { entry.continuation.resume(returning: connection) }
        case .connect(let delay):
            connect(after: delay)
        case .close(let connections):
            for connection in connections { connection.close() }
        }
    }
}

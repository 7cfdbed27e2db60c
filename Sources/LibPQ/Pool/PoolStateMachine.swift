import Foundation

/// The bookkeeping of a connection pool as a value type: events go in, actions for the owner come out.
///
/// It does no I/O and knows no clock, so every rule (who gets a free connection, when to connect,
/// how long to back off after a failure, what a shutdown closes) is tested without a database.
struct PoolStateMachine<Connection, Waiter: Hashable> {
    struct Limits {
        var minimum: Int
        var maximum: Int
    }

    enum LeaseAction {
        /// Use this idle connection now.
        case use(Connection)
        /// Wait; when `connect` is true, the owner starts a new connection.
        case wait(connect: Bool)
        case fail(PostgresError)
    }

    enum Action {
        case none
        /// Give the connection to the waiter.
        case hand(Connection, to: Waiter)
        /// Start a new connection, after `delay` seconds.
        case connect(after: Double)
        /// Close these connections (they were idle when a sibling broke, or the pool shrank).
        case close([Connection])
    }

    private(set) var idle: [Connection] = []
    private(set) var leased = 0
    private(set) var connecting = 0
    private(set) var waiters: [Waiter] = []
    private(set) var consecutiveFailures = 0
    private(set) var lastFailure: PostgresError?
    private(set) var isClosed = false
    let limits: Limits

    init(limits: Limits) {
        precondition(limits.minimum >= 0 && limits.maximum >= 1 && limits.minimum <= limits.maximum)
        self.limits = limits
    }

    var total: Int { idle.count + leased + connecting }

    /// The connections to open when the pool starts.
    mutating func start() -> Int {
        let missing = max(0, limits.minimum - total)
        connecting += missing
        return missing
    }

    mutating func lease(_ waiter: Waiter) -> LeaseAction {
        if isClosed { return .fail(PostgresError(.poolClosed, message: "the connection pool is shut down")) }
        if let connection = idle.popLast() {
            leased += 1
            return .use(connection)
        }
        waiters.append(waiter)
        // While connecting fails, one attempt at a time: the backoff belongs to that one attempt.
        let mayConnect = total < limits.maximum && (consecutiveFailures == 0 || connecting == 0)
        if mayConnect { connecting += 1 }
        return .wait(connect: mayConnect)
    }

    /// A waiter gave up (its deadline passed or its task was cancelled). Returns whether it was still waiting.
    mutating func cancel(_ waiter: Waiter) -> Bool {
        guard let index = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: index)
        return true
    }

    mutating func connected(_ connection: Connection) -> Action {
        connecting -= 1
        consecutiveFailures = 0
        lastFailure = nil
        if isClosed { return .close([connection]) }
        return offer(connection)
    }

    mutating func connectFailed(_ error: PostgresError) -> Action {
        connecting -= 1
        consecutiveFailures += 1
        lastFailure = error
        // Retry only when no other attempt is in flight: one backoff schedule, not one per failed attempt.
        guard !isClosed, connecting == 0, !waiters.isEmpty || total < limits.minimum else { return .none }
        connecting += 1
        return .connect(after: Self.backoff(afterFailures: consecutiveFailures))
    }

    /// A leased connection comes back; `broken` when a query found it unusable.
    mutating func release(_ connection: Connection, broken: Bool) -> [Action] {
        leased -= 1
        if isClosed { return [.close([connection])] }
        guard broken else { return [offer(connection)] }
        // A broken connection usually means the server restarted: its idle siblings are dead too.
        var actions: [Action] = [.close([connection] + idle)]
        idle.removeAll()
        if !waiters.isEmpty || total < limits.minimum {
            connecting += 1
            actions.append(.connect(after: 0))
        }
        return actions
    }

    /// Shuts the pool: returns the idle connections to close and the waiters to fail.
    mutating func close() -> (connections: [Connection], waiters: [Waiter]) {
        isClosed = true
        defer {
            idle.removeAll()
            waiters.removeAll()
        }
        return (idle, waiters)
    }

    private mutating func offer(_ connection: Connection) -> Action {
        if !waiters.isEmpty {
            leased += 1
            return .hand(connection, to: waiters.removeFirst())
        }
        idle.append(connection)
        return .none
    }

    /// postgres-nio's schedule: 100 ms × 1.25^(failures − 1), capped at 10 s.
    static func backoff(afterFailures failures: Int) -> Double {
        min(10, 0.1 * pow(1.25, Double(min(max(0, failures - 1), 64))))
    }
}

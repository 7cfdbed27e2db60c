import IntegrationsCore
import LibPQ

/// The durable queue of outgoing-webhook deliveries, as the delivery engine uses it. The deliveries themselves
/// are written by the statements of the events that trigger them (``OutboxFragment``).
public struct DeliveryRepository: Sendable {
    let pool: ConnectionPool
    let signal: DeliverySignal

    public init(pool: ConnectionPool, signal: DeliverySignal = .none) {
        self.pool = pool
        self.signal = signal
    }

    /// `integrations.replayOutgoing`: a new delivery of a recorded attempt's payload to its URL. Refusals:
    /// `unauthenticated`, `forbidden`, `invalidIntegration`, `invalidHistory`, `notOutgoing`, `historyWithoutData`.
    public func replay(userId: String, hashedToken: String, integrationId: String, historyId: String) async throws(StoreError) -> Outcome<Void> {
        let statement = DeliveryStatements.replay
        let result = try await pool.run(statement, [userId, hashedToken, integrationId, historyId, RandomToken.id()])
        signal.enqueued(result.int(row: 0, column: 1))
        return try Verdict(result, of: statement).outcome {}
    }

    /// Claims up to `limit` due deliveries for `owner` under a lease of `lease`.
    public func claim(limit: Int, lease: Duration, owner: String) async throws(StoreError) -> [ClaimedDelivery] {
        let statement = DeliveryStatements.claim
        let result = try await pool.run(statement, [String(limit), Self.seconds(lease), owner])
        var claimed: [ClaimedDelivery] = []
        claimed.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            guard let id = result.string(row: row, column: 0), let integrationId = result.string(row: row, column: 1),
                let url = result.string(row: row, column: 2), let tries = result.int(row: row, column: 4),
                let leaseToken = result.string(row: row, column: 5), let event = result.string(row: row, column: 7),
                let context = result.string(row: row, column: 8)
            else { throw .unexpectedResult(of: statement, "a claimed delivery without its columns") }
            claimed.append(
                ClaimedDelivery(
                    id: id,
                    integrationId: integrationId,
                    url: url,
                    triggerWord: result.string(row: row, column: 3),
                    tries: tries,
                    leaseToken: leaseToken,
                    abandonedHistoryId: result.string(row: row, column: 6),
                    event: event,
                    context: context,
                    integrationDocument: result.string(row: row, column: 9)
                )
            )
        }
        return claimed
    }

    /// An attempt's first record: the history document to insert, and whether it also ends the delivery.
    public struct AttemptStart: Sendable {
        public var delivery: ClaimedDelivery
        /// The record: its `_id` and the complete document (JSON text); nil when the delivery ends without one.
        public var history: (id: String, document: String)?
        /// No call follows (the integration is gone or disabled, or its script cannot run): the delivery ends here.
        public var endsDelivery: Bool

        public init(delivery: ClaimedDelivery, history: (id: String, document: String)?, endsDelivery: Bool) {
            self.delivery = delivery
            self.history = history
            self.endsDelivery = endsDelivery
        }
    }

    /// Records the first history record of each attempt, in one statement; returns the ids of the deliveries
    /// whose lease still held (the others belong to another worker now, and must not be called).
    public func begin(_ attempts: [AttemptStart]) async throws(StoreError) -> Set<String> {
        guard !attempts.isEmpty else { return [] }
        let result = try await pool.run(
            DeliveryStatements.begin,
            [
                PostgresArray.literal(attempts.map(\.delivery.id)),
                PostgresArray.literal(attempts.map(\.delivery.leaseToken)),
                PostgresArray.literal(attempts.map { $0.history?.id }),
                PostgresArray.literal(attempts.map { $0.history?.document }),
                "{" + attempts.map { $0.endsDelivery ? "t" : "f" }.joined(separator: ",") + "}",
            ]
        )
        return Set((0..<result.rowCount).compactMap { result.string(row: $0, column: 0) })
    }

    /// The end of one attempt: the fields its record gains (a JSON object text, `step` among them) and what
    /// becomes of the delivery.
    public struct Completion: Sendable {
        public var delivery: ClaimedDelivery
        public var historyId: String
        public var historyPatch: String
        /// What becomes of the delivery (Rocket.Chat's decision after the attempt).
        public var next: AttemptDecision.Next

        public init(delivery: ClaimedDelivery, historyId: String, historyPatch: String, next: AttemptDecision.Next) {
            self.delivery = delivery
            self.historyId = historyId
            self.historyPatch = historyPatch
            self.next = next
        }
    }

    /// Ends attempts in one statement, each only if its lease still holds; returns the lease tokens that held.
    public func complete(_ completions: [Completion]) async throws(StoreError) -> Set<String> {
        guard !completions.isEmpty else { return [] }
        let actions = completions.map { completion -> (String, Duration) in
            switch completion.next {
            case .finish: ("finish", .zero)
            case .retry(let after): ("retry", after)
            case .disableIntegration: ("disable", .zero)
            }
        }
        let disables = completions.contains { if case .disableIntegration = $0.next { true } else { false } }
        let result = try await pool.run(
            disables ? DeliveryStatements.completeAndDisable : DeliveryStatements.complete,
            [
                PostgresArray.literal(completions.map(\.delivery.id)),
                PostgresArray.literal(completions.map(\.delivery.leaseToken)),
                PostgresArray.literal(completions.map(\.historyId)),
                PostgresArray.literal(completions.map(\.historyPatch)),
                PostgresArray.literal(actions.map(\.0)),
                "{" + actions.map { Self.seconds($0.1) }.joined(separator: ",") + "}",
            ]
        )
        return Set((0..<result.rowCount).compactMap { result.string(row: $0, column: 0) })
    }

    /// Extends the leases of attempts still running.
    public func renew(_ deliveries: [ClaimedDelivery], lease: Duration) async throws(StoreError) {
        guard !deliveries.isEmpty else { return }
        _ = try await pool.run(
            DeliveryStatements.renew,
            [PostgresArray.literal(deliveries.map(\.id)), PostgresArray.literal(deliveries.map(\.leaseToken)), Self.seconds(lease)]
        )
    }

    /// Gives leases back (due now) for attempts that will not run here.
    public func release(_ deliveries: [ClaimedDelivery]) async throws(StoreError) {
        guard !deliveries.isEmpty else { return }
        _ = try await pool.run(
            DeliveryStatements.release,
            [PostgresArray.literal(deliveries.map(\.id)), PostgresArray.literal(deliveries.map(\.leaseToken))]
        )
    }

    /// Deletes up to `limit` events whose deliveries have all ended; returns how many.
    public func purgeDeliveredEvents(limit: Int) async throws(StoreError) -> Int {
        let result = try await pool.run(DeliveryStatements.purgeEvents, [String(limit)])
        return result.affectedRows
    }

    /// Wakes the engines listening on `channel` (PostgreSQL's `NOTIFY`).
    public func notifyEngines(channel: String) async throws(StoreError) {
        _ = try await pool.run(DeliveryStatements.notify, [channel])
    }

    /// The queue's gauges.
    public struct Statistics: Sendable, Equatable {
        public var due: Int
        public var inFlight: Int
        /// How long the oldest due delivery has waited (0 when none is due).
        public var oldestDueAge: Duration
    }

    public func statistics() async throws(StoreError) -> Statistics {
        let statement = DeliveryStatements.statistics
        let result = try await pool.run(statement, [])
        guard let due = result.int(row: 0, column: 0), let inFlight = result.int(row: 0, column: 1),
            let age = result.string(row: 0, column: 2).flatMap(Double.init)
        else { throw .unexpectedResult(of: statement, "no row") }
        return Statistics(due: due, inFlight: inFlight, oldestDueAge: .milliseconds(Int64(age * 1000)))
    }

    /// A duration as PostgreSQL `double precision` seconds text.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(Double(seconds) + Double(attoseconds) / 1e18)
    }
}

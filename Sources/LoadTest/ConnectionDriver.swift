import NIOCore
import Synchronization

/// One of the load test's connections, across reconnects: its pacing, its random sequence, its statistics.
///
/// The channel handler of the connection open at the moment runs on one event loop; the progress reporter
/// reads the statistics from another thread, hence the lock (taken once per response, never contended for long).
final class ConnectionDriver: Sendable {
    struct Plan: Sendable {
        let dataSet: LoadDataSet
        let mix: RequestMix
        let pathPrefix: String
        let hostHeader: String
        /// Check the body of every n-th response (0: none).
        let checkEvery: Int
        let requestTimeout: TimeAmount
    }

    private struct Pacing {
        var generator: SeededGenerator
        var nextIntended: NIODeadline
        var sequence = 0
    }

    let plan: Plan
    /// No request is scheduled at or after this instant.
    let stopAt: NIODeadline
    /// At a constant rate, requests scheduled before ``stopAt`` that are late are still sent until then: a
    /// stall at the end of the run is measured, not dropped.
    let drainUntil: NIODeadline
    /// Shared by all connections: how many requests may still be sent (`--requests`).
    private let budget: RequestBudget
    /// The time between two sends of this connection at a constant rate; `nil` in closed-loop mode.
    private let interval: TimeAmount?
    private let pacing: Mutex<Pacing>
    private let statistics = Mutex(LoadStatistics())
    private let finished = Atomic(false)

    /// Whether this connection has sent its last request (the run is over or the budget spent).
    var isFinished: Bool { finished.load(ordering: .relaxed) }

    init(plan: Plan, seed: UInt64, firstSend: NIODeadline, interval: TimeAmount?, stopAt: NIODeadline, budget: RequestBudget) {
        self.plan = plan
        self.stopAt = stopAt
        self.drainUntil = interval == nil ? stopAt : stopAt + plan.requestTimeout
        self.budget = budget
        self.interval = interval
        self.pacing = Mutex(Pacing(generator: SeededGenerator(seed: seed), nextIntended: firstSend))
    }

    /// The next request and when it is meant to leave; `nil` once the run is over.
    func next(now: NIODeadline) -> (request: PlannedRequest, intended: NIODeadline, check: Bool)? {
        let next = pacing.withLock { pacing -> (request: PlannedRequest, intended: NIODeadline, check: Bool)? in
            let intended: NIODeadline
            if let interval {
                intended = pacing.nextIntended
                pacing.nextIntended = intended + interval
            } else {
                intended = now
            }
            guard intended < stopAt, now < drainUntil, budget.take() else { return nil }
            let kind = plan.mix.pick(using: &pacing.generator)
            let request = PlannedRequest.draw(kind, in: plan.dataSet, prefix: plan.pathPrefix, using: &pacing.generator)
            pacing.sequence += 1
            let check = plan.checkEvery > 0 && pacing.sequence % plan.checkEvery == 0
            return (request, intended, check)
        }
        if next == nil { finished.store(true, ordering: .relaxed) }
        return next
    }

    func recordResponse(_ request: PlannedRequest, status: Int, bodyBytes: Int, latency: TimeAmount, body: [UInt8]?) {
        let problem = body.map { AnswerCheck.problem(in: $0, expected: request.expectation) }
        statistics.withLock { statistics in
            statistics.recordResponse(
                kind: request.kind,
                status: status,
                bodyBytes: bodyBytes,
                microseconds: UInt64(max(0, latency.nanoseconds / 1000)),
                expectedStatus: request.expectation.status
            )
            if let problem { statistics.recordCheck(problem: problem, uri: request.uri) }
        }
    }

    func recordError(_ cause: String) {
        statistics.withLock { $0.recordError(cause) }
    }

    var snapshot: LoadStatistics { statistics.withLock { $0 } }
}

/// The number of requests a run may still send, shared by its connections; unlimited without `--requests`.
final class RequestBudget: Sendable {
    private let remaining: Atomic<Int>

    init(limit: Int?) {
        remaining = Atomic(limit ?? Int.max)
    }

    /// Takes one request from the budget; `false` when it is spent.
    func take() -> Bool {
        remaining.wrappingSubtract(1, ordering: .relaxed).newValue >= 0
    }
}

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
    let stopAt: NIODeadline
    /// The time between two sends of this connection at a constant rate; `nil` in closed-loop mode.
    private let interval: TimeAmount?
    private let pacing: Mutex<Pacing>
    private let statistics = Mutex(LoadStatistics())

    init(plan: Plan, seed: UInt64, firstSend: NIODeadline, interval: TimeAmount?, stopAt: NIODeadline) {
        self.plan = plan
        self.stopAt = stopAt
        self.interval = interval
        self.pacing = Mutex(Pacing(generator: SeededGenerator(seed: seed), nextIntended: firstSend))
    }

    /// The next request and when it is meant to leave; `nil` once the run is over.
    func next(now: NIODeadline) -> (request: PlannedRequest, intended: NIODeadline, check: Bool)? {
        pacing.withLock { pacing in
            let intended: NIODeadline
            if let interval {
                intended = pacing.nextIntended
                pacing.nextIntended = intended + interval
            } else {
                intended = now
            }
            guard intended < stopAt, now < stopAt else { return nil }
            let kind = plan.mix.pick(using: &pacing.generator)
            let request = PlannedRequest.draw(kind, in: plan.dataSet, prefix: plan.pathPrefix, using: &pacing.generator)
            pacing.sequence += 1
            let check = plan.checkEvery > 0 && pacing.sequence % plan.checkEvery == 0
            return (request, intended, check)
        }
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

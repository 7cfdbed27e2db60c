import Histogram

/// What a connection (or, merged, the whole run) saw.
struct LoadStatistics: Sendable {
    /// Latency in microseconds: from the send in closed-loop mode, from the intended send time at a constant rate.
    var latency = Histogram<UInt32>(lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
    var responses = 0
    var bodyBytes = 0
    var statuses: [Int: Int] = [:]
    var responsesByKind: [RequestMix.Kind: Int] = [:]
    /// Responses whose status is not the one the data set predicts.
    var unexpectedStatuses = 0
    /// Sampled bodies checked, and those that were wrong.
    var checked = 0
    var failedChecks = 0
    /// The first problems found, for the report.
    var problems: [String] = []
    /// Transport errors by cause (refused connection, closed with a request in flight, timeout).
    var errors: [String: Int] = [:]

    static let problemsKept = 10

    mutating func recordResponse(kind: RequestMix.Kind, status: Int, bodyBytes: Int, microseconds: UInt64, expectedStatus: Int) {
        _ = latency.record(max(1, min(microseconds, latency.highestTrackableValue)))
        responses += 1
        self.bodyBytes += bodyBytes
        statuses[status, default: 0] += 1
        responsesByKind[kind, default: 0] += 1
        if status != expectedStatus {
            unexpectedStatuses += 1
            note("\(kind.rawValue): status \(status), expected \(expectedStatus)")
        }
    }

    mutating func recordCheck(problem: String?, uri: String) {
        checked += 1
        guard let problem else { return }
        failedChecks += 1
        note("\(uri): \(problem)")
    }

    mutating func recordError(_ cause: String) {
        errors[cause, default: 0] += 1
    }

    mutating func merge(_ other: LoadStatistics) {
        latency.add(other.latency)
        responses += other.responses
        bodyBytes += other.bodyBytes
        statuses.merge(other.statuses, uniquingKeysWith: +)
        responsesByKind.merge(other.responsesByKind, uniquingKeysWith: +)
        unexpectedStatuses += other.unexpectedStatuses
        checked += other.checked
        failedChecks += other.failedChecks
        for problem in other.problems where problems.count < Self.problemsKept { problems.append(problem) }
        errors.merge(other.errors, uniquingKeysWith: +)
    }

    private mutating func note(_ problem: String) {
        if problems.count < Self.problemsKept { problems.append(problem) }
    }
}

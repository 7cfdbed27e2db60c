import Foundation
import Histogram

/// The outcome of a load test, printed as text and as JSON (snake_case keys).
public struct LoadTestReport: Codable, Sendable {
    public struct Latency: Codable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        public var mean: Double
    }

    public struct Verification: Codable, Sendable {
        /// Answers whose body was checked against the data set.
        public var checked: Int
        /// Checked bodies that were wrong.
        public var failed: Int
        /// Answers whose status was not the predicted one (every answer's status is checked).
        public var unexpectedStatuses: Int
        /// The first problems found.
        public var problems: [String]
    }

    /// `closed-loop` or `constant-rate`.
    public var mode: String
    public var target: String
    public var connections: Int
    /// The requested rate (constant-rate mode).
    public var targetRate: Int?
    public var mix: String
    public var integrations: Int
    public var seconds: Double
    public var requests: Int
    public var requestsPerSecond: Double
    public var bytesPerSecond: Double
    /// Milliseconds; at a constant rate measured from each request's intended send time.
    public var latencyMs: Latency
    /// Answers by HTTP status.
    public var statuses: [String: Int]
    public var requestsByKind: [String: Int]
    /// Transport errors by cause.
    public var errors: [String: Int]
    public var verification: Verification

    /// Every answer had the predicted status, every checked body was right, no transport error, and something was measured.
    public var passed: Bool {
        requests > 0 && errors.isEmpty && verification.failed == 0 && verification.unexpectedStatuses == 0
    }

    init(options: LoadTest.Options, seconds: Double, statistics: LoadStatistics) {
        let milliseconds = { (microseconds: UInt64) in Double(microseconds) / 1000 }
        let latency = statistics.latency
        mode = options.rate == nil ? "closed-loop" : "constant-rate"
        target = options.target.description
        connections = options.connections
        targetRate = options.rate
        mix = options.mix.description
        integrations = options.dataSet.integrations
        self.seconds = (seconds * 1000).rounded() / 1000
        requests = statistics.responses
        requestsPerSecond = seconds > 0 ? (Double(statistics.responses) / seconds).rounded() : 0
        bytesPerSecond = seconds > 0 ? (Double(statistics.bodyBytes) / seconds).rounded() : 0
        latencyMs = Latency(
            p50: milliseconds(latency.valueAtPercentile(50)),
            p90: milliseconds(latency.valueAtPercentile(90)),
            p99: milliseconds(latency.valueAtPercentile(99)),
            p999: milliseconds(latency.valueAtPercentile(99.9)),
            max: milliseconds(latency.max),
            mean: (latency.mean / 10).rounded() / 100
        )
        statuses = Dictionary(uniqueKeysWithValues: statistics.statuses.map { (String($0.key), $0.value) })
        requestsByKind = Dictionary(uniqueKeysWithValues: statistics.responsesByKind.map { ($0.key.rawValue, $0.value) })
        errors = statistics.errors
        verification = Verification(
            checked: statistics.checked,
            failed: statistics.failedChecks,
            unexpectedStatuses: statistics.unexpectedStatuses,
            problems: statistics.problems
        )
    }

    /// The summary as JSON, keys sorted.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The summary for people.
    public var text: String {
        let rate = targetRate.map { " at \($0) req/s" } ?? ""
        var lines = [
            "\(mode)\(rate), \(connections) connections, \(String(format: "%.1f", seconds)) s, mix \(mix), \(integrations) integrations: \(target)",
            "  requests      \(requests)  (\(Int(requestsPerSecond)) req/s, \(String(format: "%.1f", bytesPerSecond / 1_048_576)) MiB/s of bodies)",
            "  latency ms    p50 \(latencyMs.p50)  p90 \(latencyMs.p90)  p99 \(latencyMs.p99)  p99.9 \(latencyMs.p999)  max \(latencyMs.max)",
            "  statuses      " + statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "  "),
            "  by kind       " + requestsByKind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "  "),
            "  verified      \(verification.checked) bodies checked, \(verification.failed) wrong; "
                + "\(verification.unexpectedStatuses) unexpected statuses",
            "  errors        "
                + (errors.isEmpty ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "  ")),
        ]
        for problem in verification.problems { lines.append("  problem       \(problem)") }
        lines.append(passed ? "  PASSED" : "  FAILED")
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// What ``DeliverySink`` has received, as one JSON line (snake_case keys, sorted): the answer of `GET /stats`
/// and what `integrations loadtest sink` writes when it is stopped.
public struct DeliverySinkReport: Codable, Sendable, Equatable {
    /// Event-to-delivery latency in whole milliseconds: from the payload's `timestamp` to the call's arrival.
    public struct Latency: Codable, Sendable, Equatable {
        public var p50: UInt64
        public var p90: UInt64
        public var p99: UInt64
        public var max: UInt64
        public var mean: Double
    }

    /// Webhook calls (POSTs) received.
    public var count: Int
    public var distinctWebhookIds: Int
    /// Calls with a `webhook-id` already seen: the same delivery received again.
    public var duplicates: Int
    public var withoutWebhookId: Int
    /// Calls whose body had no readable `timestamp` (not in the latency figures).
    public var withoutTimestamp: Int
    /// Calls dated after their arrival (counted as 0 ms).
    public var fromTheFuture: Int
    public var latencyMs: Latency
    /// Wall-clock epoch milliseconds of the first and the last call (absent before the first).
    public var firstArrivalMs: Int64?
    public var lastArrivalMs: Int64?
    /// From the first call to the last.
    public var seconds: Double
    /// `count` over `seconds`.
    public var requestsPerSecond: Double

    /// The report as one line of JSON, without the newline.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these fields cannot fail.
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}

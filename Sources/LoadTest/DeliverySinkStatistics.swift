import Histogram

/// What a delivery sink has received: the requests, their event-to-delivery latencies (from the payload's
/// `timestamp` to the arrival, both wall-clock milliseconds), and the distinct `webhook-id`s among them.
struct DeliverySinkStatistics: Sendable {
    /// Milliseconds, up to a day.
    var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 86_400_000, numberOfSignificantValueDigits: .three)
    /// Every webhook call (a POST) received.
    var requests = 0
    /// Calls without a readable `timestamp`: counted, not timed.
    var withoutTimestamp = 0
    /// Calls whose `timestamp` is after their arrival (the clock stepped back): timed as 0 ms.
    var fromTheFuture = 0
    var webhookIDs = Set<String>()
    var withoutWebhookID = 0
    /// Wall-clock epoch milliseconds of the first and the last call.
    var firstArrival: Int64?
    var lastArrival: Int64?

    /// One call, arrived at `arrival` (epoch ms), of a payload dated `timestamp` (epoch ms).
    mutating func record(arrival: Int64, timestamp: Int64?, webhookID: String?) {
        requests += 1
        if firstArrival == nil { firstArrival = arrival }
        lastArrival = max(lastArrival ?? arrival, arrival)
        if let timestamp {
            if timestamp > arrival { fromTheFuture += 1 }
            _ = latency.record(UInt64(min(max(0, arrival - timestamp), Int64(latency.highestTrackableValue))))
        } else {
            withoutTimestamp += 1
        }
        if let webhookID {
            webhookIDs.insert(webhookID)
        } else {
            withoutWebhookID += 1
        }
    }

    var report: DeliverySinkReport {
        let seconds = firstArrival.flatMap { first in lastArrival.map { Double($0 - first) / 1000 } } ?? 0
        let timed = requests - withoutTimestamp
        let withID = requests - withoutWebhookID
        return DeliverySinkReport(
            count: requests,
            distinctWebhookIds: webhookIDs.count,
            duplicates: withID - webhookIDs.count,
            withoutWebhookId: withoutWebhookID,
            withoutTimestamp: withoutTimestamp,
            fromTheFuture: fromTheFuture,
            latencyMs: DeliverySinkReport.Latency(
                p50: timed > 0 ? latency.valueAtPercentile(50) : 0,
                p90: timed > 0 ? latency.valueAtPercentile(90) : 0,
                p99: timed > 0 ? latency.valueAtPercentile(99) : 0,
                max: timed > 0 ? latency.max : 0,
                mean: timed > 0 ? (latency.mean * 100).rounded() / 100 : 0
            ),
            firstArrivalMs: firstArrival,
            lastArrivalMs: lastArrival,
            seconds: seconds,
            requestsPerSecond: seconds > 0 ? (Double(requests) / seconds).rounded() : 0
        )
    }
}

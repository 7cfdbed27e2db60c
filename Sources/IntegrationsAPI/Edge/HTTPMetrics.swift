import HTTPTypes
import Metrics
import Synchronization

/// The handles of `http_requests_total` and `http_request_duration_seconds`, one pair per method, route and
/// status, made once: asking swift-metrics for a handle on every request costs a registry look-up with label
/// arrays, a fifth of a cheap request's time.
final class HTTPMetrics: Sendable {
    private struct Key: Hashable {
        let method: HTTPRequest.Method
        let route: String
        let status: Int
    }

    private let handles = Mutex<[Key: (requests: Counter, duration: Timer)]>([:])

    func record(method: HTTPRequest.Method, route: String, status: Int, duration: Duration) {
        let key = Key(method: method, route: route, status: status)
        let pair = handles.withLock { handles in
            if let pair = handles[key] { return pair }
            let dimensions = [("method", method.rawValue), ("route", route), ("status", String(status))]
            let pair = (
                Counter(label: "http_requests_total", dimensions: dimensions), Timer(label: "http_request_duration_seconds", dimensions: dimensions)
            )
            handles[key] = pair
            return pair
        }
        pair.requests.increment()
        pair.duration.record(duration: duration)
    }
}

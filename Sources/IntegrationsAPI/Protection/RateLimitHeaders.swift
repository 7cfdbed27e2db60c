import HTTPTypes
import Hummingbird
import IntegrationsStore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Rocket.Chat's rate-limiter answer: `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch milliseconds) on
/// every response of a limited route, and a 429 with its message once the window is used up.
enum RateLimitHeaders {
    static let limit = HTTPField.Name("X-RateLimit-Limit")!
    static let remaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let reset = HTTPField.Name("X-RateLimit-Reset")!

    static func fields(limit rule: RateLimit, window: RateLimitWindow) -> HTTPFields {
        var fields = HTTPFields()
        fields[limit] = String(rule.calls)
        fields[remaining] = String(max(0, rule.calls - window.requests))
        fields[reset] = String(window.resetsAtMilliseconds)
        return fields
    }

    /// `429 {"success":false,"error":"Error, too many requests. Please slow down. You must wait N seconds …"}`,
    /// plus `Retry-After`, which Rocket.Chat omits and HTTP recommends.
    static func tooManyRequests(window: RateLimitWindow, headers: HTTPFields) -> Response {
        let remainingMilliseconds = max(0, window.resetsAtMilliseconds - epochMilliseconds())
        let seconds = (remainingMilliseconds + 999) / 1000
        let message = "Error, too many requests. Please slow down. You must wait \(seconds) seconds before trying this endpoint again."
        var response = RocketChatError(status: .tooManyRequests, error: message).render()
        response.headers.append(contentsOf: headers)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

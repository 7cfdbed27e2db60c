/// A rate limiter's count for one key: the requests in the current fixed window, and when it ends.
public struct RateLimitWindow: Sendable, Equatable {
    /// Requests in the window so far, this one included.
    public let requests: Int
    /// When the window ends, in epoch milliseconds (Rocket.Chat's `X-RateLimit-Reset`).
    public let resetsAtMilliseconds: Int64

    public init(requests: Int, resetsAtMilliseconds: Int64) {
        self.requests = requests
        self.resetsAtMilliseconds = resetsAtMilliseconds
    }
}

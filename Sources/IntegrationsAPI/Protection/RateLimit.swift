/// Rocket.Chat's REST rate limiter (`API_Enable_Rate_Limiter_Limit_*_Default`): so many calls per client address
/// and route in a fixed window. `login` is counted in PostgreSQL, the authenticated routes per process
/// (``RateLimitMiddleware``); callers holding `api-bypass-rate-limit` are not counted.
public struct RateLimit: Sendable, Equatable {
    public var calls: Int
    public var windowMilliseconds: Int

    public init(calls: Int, windowMilliseconds: Int) {
        self.calls = calls
        self.windowMilliseconds = windowMilliseconds
    }

    /// Rocket.Chat's default: 10 calls per 60 s.
    public static let rocketChatDefault = RateLimit(calls: 10, windowMilliseconds: 60_000)
}

import IntegrationsStore

/// Rocket.Chat's protections against guessing and flooding, with its setting names and defaults: blocking
/// logins after repeated failures per client address and per user (`Block_Multiple_Failed_Logins_*`; state
/// in PostgreSQL, shared by every worker), and the REST rate limiter (`API_Enable_Rate_Limiter*`: 10 calls per
/// 60 s per address and route; `login` counted in PostgreSQL, authenticated routes per process, see
/// ``RateLimitMiddleware``).
public struct LoginProtection: Sendable, Equatable {
    /// Failures from one address before it is blocked, and for how long (`…_By_Ip`, 50 in 5 minutes); `nil` off.
    public var byAddress: LoginProtectionRepository.BlockRule? = .init(failures: 50, seconds: 300)
    /// Failures of one user before it is blocked, and for how long (`…_By_User`, 10 in 5 minutes); `nil` off.
    public var byUser: LoginProtectionRepository.BlockRule? = .init(failures: 10, seconds: 300)
    /// Addresses never blocked (`Block_Multiple_Failed_Logins_Ip_Whitelist`).
    public var addressAllowList: Set<String> = []
    /// Requests allowed per address and route in a window (`API_Enable_Rate_Limiter_Limit_*_Default`); `nil` off.
    public var rateLimit: RateLimit? = RateLimit(calls: 10, windowMilliseconds: 60_000)

    public struct RateLimit: Sendable, Equatable {
        public var calls: Int
        public var windowMilliseconds: Int

        public init(calls: Int, windowMilliseconds: Int) {
            self.calls = calls
            self.windowMilliseconds = windowMilliseconds
        }
    }

    public init() {}

    /// No protection at all (tests that log in many times from one address).
    public static let off: LoginProtection = {
        var protection = LoginProtection()
        protection.byAddress = nil
        protection.byUser = nil
        protection.rateLimit = nil
        return protection
    }()
}

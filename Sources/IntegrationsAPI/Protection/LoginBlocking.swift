import IntegrationsStore

/// Rocket.Chat's blocking of logins after repeated failures, per client address and per user
/// (`Block_Multiple_Failed_Logins_*`, with its defaults). The counts live in PostgreSQL, shared by every worker.
public struct LoginBlocking: Sendable, Equatable {
    /// Failures from one address before it is blocked, and for how long (`…_By_Ip`, 50 in 5 minutes); `nil` off.
    public var byAddress: LoginFailureRepository.BlockRule? = .init(failures: 50, seconds: 300)
    /// Failures of one user before it is blocked, and for how long (`…_By_User`, 10 in 5 minutes); `nil` off.
    public var byUser: LoginFailureRepository.BlockRule? = .init(failures: 10, seconds: 300)
    /// Addresses never blocked (`Block_Multiple_Failed_Logins_Ip_Whitelist`).
    public var addressAllowList: Set<String> = []

    public init() {}

    /// No blocking at all (tests that log in many times from one address).
    public static let off: LoginBlocking = {
        var blocking = LoginBlocking()
        blocking.byAddress = nil
        blocking.byUser = nil
        return blocking
    }()

    /// Whether failed logins are counted at all.
    var isOn: Bool { byAddress != nil || byUser != nil }
}

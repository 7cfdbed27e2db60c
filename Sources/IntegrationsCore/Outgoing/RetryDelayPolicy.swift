/// How long an outgoing webhook waits before it calls again after a failed call: Rocket.Chat's
/// `retryDelay` setting (`triggerHandler`'s `retryRestOfIntegration` wait times).
///
/// Rocket.Chat lower-cases the stored value before it compares it; ``init(rawValue:)`` matches exactly, so the
/// caller lower-cases.
public enum RetryDelayPolicy: String, Sendable {
    /// 100 ms, 1 s, 10 s, 1 min 40 s, 16 min 40 s, …: 10^(tries + 2) milliseconds.
    case powersOfTen = "powers-of-ten"
    /// 2 s, 4 s, 8 s, 16 s, …: 2^(tries + 1) seconds.
    case powersOfTwo = "powers-of-two"
    /// 2 s, 4 s, 6 s, 8 s, …: (tries + 1) · 2 seconds.
    case incrementsOfTwo = "increments-of-two"

    /// The longest delay any policy returns: 10^12 ms, about 31.7 years. Rocket.Chat computes the delay in
    /// floating point and never stops growing it; here it stops at this cap instead of overflowing.
    public static let maximumDelay: Duration = .milliseconds(maximumMilliseconds)

    private static let maximumMilliseconds: Int64 = 1_000_000_000_000

    /// The wait before the next call, where `tries` is the number of calls already made minus one (0 after
    /// the first call failed), as Rocket.Chat counts it. A negative `tries` counts as 0; the result never
    /// exceeds ``maximumDelay``.
    public func delay(afterTries tries: Int) -> Duration {
        let tries = Int64(clamping: max(tries, 0))
        let milliseconds: Int64
        // Each case compares `tries` itself before any arithmetic, so even `Int.max` cannot overflow.
        switch self {
        case .powersOfTen:
            // 10^12 ms is the cap: tries 10 reaches it.
            milliseconds = tries >= 10 ? Self.maximumMilliseconds : Self.power(10, tries + 2)
        case .powersOfTwo:
            // 2^30 s is past the cap (10^9 s): tries 29 would exceed it.
            milliseconds = tries >= 29 ? Self.maximumMilliseconds : Self.power(2, tries + 1) * 1000
        case .incrementsOfTwo:
            // (5·10^8) · 2 s is the cap: tries 499 999 999 reaches it.
            milliseconds = tries >= Self.maximumMilliseconds / 2000 - 1 ? Self.maximumMilliseconds : (tries + 1) * 2000
        }
        return .milliseconds(milliseconds)
    }

    private static func power(_ base: Int64, _ exponent: Int64) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= base }
        return result
    }
}

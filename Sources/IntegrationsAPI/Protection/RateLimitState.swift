import IntegrationsStore
import NIOCore
import Synchronization

/// The in-process memory of ``RateLimitMiddleware``: callers' standings and the fixed windows, both bounded.
final class RateLimitState: Sendable {
    private struct Window {
        var startedAt: ContinuousClock.Instant
        var requests: Int
    }

    private struct Storage {
        var standings: [String: (standing: UserRepository.RateLimitStanding, until: ContinuousClock.Instant)] = [:]
        var windows: [String: Window] = [:]
    }

    /// Beyond this many entries, expired ones are dropped (and if that is not enough, all).
    static let capacity = 10_000
    private let storage = Mutex(Storage())

    func standing(of credentials: CallerCredentials, at now: ContinuousClock.Instant) -> UserRepository.RateLimitStanding? {
        storage.withLock { storage in
            guard let entry = storage.standings[credentials.userId + " " + credentials.hashedToken], entry.until > now else { return nil }
            return entry.standing
        }
    }

    func remember(_ standing: UserRepository.RateLimitStanding, of credentials: CallerCredentials, until: ContinuousClock.Instant) {
        storage.withLock { storage in
            if storage.standings.count >= Self.capacity {
                let now = ContinuousClock.now
                storage.standings = storage.standings.filter { $0.value.until > now }
                if storage.standings.count >= Self.capacity { storage.standings = [:] }
            }
            storage.standings[credentials.userId + " " + credentials.hashedToken] = (standing, until)
        }
    }

    func count(key: String, limit: RateLimit, at now: ContinuousClock.Instant) -> RateLimitWindow {
        let length = Duration.milliseconds(limit.windowMilliseconds)
        let (requests, startedAt) = storage.withLock { storage in
            if storage.windows.count >= Self.capacity {
                storage.windows = storage.windows.filter { now - $0.value.startedAt < length }
                if storage.windows.count >= Self.capacity { storage.windows = [:] }
            }
            var window = storage.windows[key] ?? Window(startedAt: now, requests: 0)
            if now - window.startedAt >= length { window = Window(startedAt: now, requests: 0) }
            window.requests += 1
            storage.windows[key] = window
            return (window.requests, window.startedAt)
        }
        let remaining = length - (now - startedAt)
        let remainingMilliseconds = TimeAmount(remaining).nanoseconds / 1_000_000
        return RateLimitWindow(
            requests: requests,
            resetsAtMilliseconds: RateLimitHeaders.epochMilliseconds() + remainingMilliseconds
        )
    }
}

import HTTPTypes
import Hummingbird
import IntegrationsStore
import Synchronization

/// Rocket.Chat's REST rate limiter on authenticated routes: a caller without `api-bypass-rate-limit` (admins,
/// bots and apps have it) may call each route `calls` times per window from one client address; every answer
/// then carries `X-RateLimit-*`, and the call after the last one gets a 429.
///
/// The windows are counted in this process, as Rocket.Chat counts them per instance: with several workers a
/// client may get up to `workers × calls` through. (Counting in PostgreSQL would cost a write per request on
/// the hot path; `login`, where the limit guards against guessing, is counted in PostgreSQL.) Whether a caller
/// is exempt is asked once and remembered for ``standingLifetime``: a role change reaches the limiter within
/// that time (it changes only what is throttled, never what is served).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let limit: LoginProtection.RateLimit
    let users: UserRepository
    let state = RateLimitState()

    static let standingLifetime: Duration = .seconds(10)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // `login` is limited by its controller, in PostgreSQL.
        guard let credentials = context.credentials, let route = context.endpointPath, route != "/api/v1/login" else {
            return try await next(request, context)
        }
        let now = ContinuousClock.now
        let standing: UserRepository.RateLimitStanding
        if let known = state.standing(of: credentials, at: now) {
            standing = known
        } else {
            standing = try await users.rateLimitStanding(userId: credentials.userId, hashedToken: credentials.hashedToken)
            state.remember(standing, of: credentials, until: now + Self.standingLifetime)
        }
        guard standing == .limited else { return try await next(request, context) }
        let key = "\(context.clientAddress(of: request) ?? "-") \(request.method.rawValue) \(route)"
        let window = state.count(key: key, limit: limit, at: now)
        let headers = RateLimitHeaders.fields(limit: limit, window: window)
        guard window.requests <= limit.calls else {
            return RateLimitHeaders.tooManyRequests(window: window, headers: headers)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}

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

    func count(key: String, limit: LoginProtection.RateLimit, at now: ContinuousClock.Instant) -> LoginProtectionRepository.WindowCount {
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
        let remainingMilliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        return LoginProtectionRepository.WindowCount(requests: requests, resetsAtMilliseconds: RateLimitHeaders.epochMilliseconds() + remainingMilliseconds)
    }
}

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

    let limit: RateLimit
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

import Hummingbird

/// Reads the caller's `X-User-Id` / `X-Auth-Token` headers into the request context, once, for every route.
struct CredentialsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.credentials = CallerCredentials(request)
        return try await next(request, context)
    }
}

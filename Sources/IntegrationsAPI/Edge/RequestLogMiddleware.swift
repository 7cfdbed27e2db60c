import HTTPTypes
import Hummingbird
import IntegrationsCore
import Logging
import NIOCore

/// The outermost middleware: gives the request its id and its client address (through the trusted proxies),
/// tags its log lines with the id, echoes `X-Request-Id`, and when it is answered writes one access-log line at
/// `info` (method, route — the matched pattern, never the query —, status, duration, client, user id) and
/// records the metrics `http_requests_total` and `http_request_duration_seconds` by method, route and status.
/// Tokens, passwords and bodies are never logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let trustedProxies: TrustedProxies
    let metrics = HTTPMetrics()

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let realIP = HTTPField.Name("X-Real-IP")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let requestID = RequestID.of(request.headers)
        context.requestID = requestID
        context.trustedProxies = trustedProxies
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            finish(request, context: context, status: 500, since: started)
            throw error
        }
        response.headers[RequestID.headerName] = requestID
        finish(request, context: context, status: response.status.code, since: started)
        return response
    }

    private func finish(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - started
        // Unknown paths share one route label, so that scanners cannot grow the metrics without bound.
        let route = context.endpointPath ?? "NotFound"
        metrics.record(method: request.method, route: route, status: status, duration: duration)
        guard context.logger.logLevel <= .info else { return }
        let microseconds = TimeAmount(duration).nanoseconds / 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath == "NotFound" || context.endpointPath == nil ? request.uri.path : route),
            "status": .stringConvertible(status),
            "duration_ms": .string("\(microseconds / 1000).\((microseconds % 1000).zeroPadded(toWidth: 3))"),
            "client": .string(context.clientAddress(of: request) ?? "-"),
        ]
        if let user = context.credentials?.userId
            ?? request.headers[.xUserId].flatMap({ $0.utf8.count <= CallerCredentials.maximumLength ? $0 : nil })
        {
            metadata["user_id"] = .string(user)
        }
        context.logger.info("request", metadata: metadata)
    }
}

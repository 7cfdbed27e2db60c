import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives the request its id and its client address (through the trusted proxies),
/// tags its log lines with the id, echoes `X-Request-Id`, and writes one access-log line at `info` when it is
/// answered: method, route (the matched pattern, never the query), status, duration, client, user id.
/// Tokens, passwords and bodies are never logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let trustedProxies: TrustedProxies

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let realIP = HTTPField.Name("X-Real-IP")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let requestID = RequestID.of(request.headers)
        context.requestID = requestID
        context.clientAddress = trustedProxies.clientAddress(
            peer: context.peerAddress,
            forwardedFor: request.headers[values: Self.forwardedFor],
            realIP: request.headers[Self.realIP]
        )
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            log(request, context: context, status: 500, since: started)
            throw error
        }
        response.headers[RequestID.headerName] = requestID
        log(request, context: context, status: response.status.code, since: started)
        return response
    }

    private func log(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        guard context.logger.logLevel <= .info else { return }
        let elapsed = (ContinuousClock.now - started).components
        let microseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        let fraction = String(microseconds % 1000)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .string("\(microseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"),
            "client": .string(context.clientAddress ?? "-"),
        ]
        if let user = context.credentials?.userId ?? request.headers[.xUserId].flatMap({ $0.utf8.count <= CallerCredentials.maximumLength ? $0 : nil }) {
            metadata["user_id"] = .string(user)
        }
        context.logger.info("request", metadata: metadata)
    }
}

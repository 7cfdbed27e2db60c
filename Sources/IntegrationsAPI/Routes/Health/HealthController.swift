import Hummingbird
import IntegrationsStore
import NIOCore

/// Probes for orchestrators and load balancers, outside Rocket.Chat's REST API: `/livez` (the process answers;
/// no database, so a PostgreSQL outage never gets healthy processes restarted), `/readyz` (PostgreSQL answers
/// through this process's pool and the server is not draining; 503 otherwise), and `/health` (Rocket.Chat's
/// older name of `/livez`). Every answer is JSON with `Cache-Control: no-store`.
struct HealthController: Sendable {
    let health: DatabaseHealth
    let draining: DrainingFlag

    static let paths: Set<String> = ["/livez", "/readyz", "/health"]

    func register(on router: Router<APIRequestContext>) {
        router.get("/livez") { _, _ in Response.json(ByteBuffer(string: #"{"status":"ok"}"#)) }
        router.get("/health") { _, _ in Response.json(ByteBuffer(string: #"{"status":"ok"}"#)) }
        router.get("/readyz", use: ready)
    }

    @Sendable func ready(_ request: Request, context: APIRequestContext) async throws -> Response {
        let accepting = !draining.isRaised
        let reachable = await health.isReachable()
        let status = accepting && reachable ? "ok" : "unavailable"
        let body = #"{"status":"\#(status)","checks":{"database":"\#(reachable ? "ok" : "unreachable")","accepting":\#(accepting)}}"#
        return Response.json(status: status == "ok" ? .ok : .serviceUnavailable, ByteBuffer(string: body))
    }
}

import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// `/api/v1/permissions.*`: read and move permissions between roles at run time, as Rocket.Chat does.
struct PermissionsController: Sendable {
    let permissions: PermissionRepository
    let validator: RequestValidator

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/permissions.listAll", use: listAll)
        router.post("/api/v1/permissions.update", use: update)
    }

    /// `GET permissions.listAll[?updatedSince=<ISO date>]`: `{"update": [...], "remove": [], "success": true}`.
    @Sendable func listAll(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try PermissionsListAllQuery(request.uri.query) }
        let list = try await permissions.list(userId: caller.userId, hashedToken: caller.hashedToken, updatedSince: query.updatedSince).value()
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.field("update", raw: list)
        writer.field("remove", raw: "[]")
        writer.field("success", raw: "true")
        writer.endObject()
        return .json(writer.buffer)
    }

    /// `POST permissions.update` with `{"permissions": [{"_id": "…", "roles": ["…"]}]}`: all or nothing.
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let update = try await validator.validate(caller) { () throws(RocketChatError) in try PermissionsUpdateRequest(body) }
        let all = try await permissions.update(userId: caller.userId, hashedToken: caller.hashedToken, changesJSON: update.changesJSON)
            .value(Self.updateRefusals)
        return .json(JSONWriter.success("permissions", raw: all))
    }

    static let updateRefusals: RefusalAnswers = [
        .unknownPermission: .failure("Invalid permission", errorType: "error-invalid-permission"),
        .unknownRole: .failure("Invalid role", errorType: "error-invalid-role"),
    ]
}

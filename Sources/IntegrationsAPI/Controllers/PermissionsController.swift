import Foundation
import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// `/api/v1/permissions.*`: read and move permissions between roles at run time, as Rocket.Chat does.
struct PermissionsController: Sendable {
    let permissions: PermissionRepository

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/permissions.listAll", use: listAll)
        router.post("/api/v1/permissions.update", use: update)
    }

    /// `GET permissions.listAll[?updatedSince=<ISO date>]`: `{"update": [...], "remove": [], "success": true}`.
    @Sendable func listAll(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let parameters = try QueryParameters.parse(request.uri.query)
        var updatedSince: String?
        if let raw = parameters.all("updatedSince").first {
            guard (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(raw)) != nil
                || (try? Date.ISO8601FormatStyle().parse(raw)) != nil
            else {
                throw RocketChatError(
                    status: .badRequest,
                    error: "The \"updatedSince\" query parameter must be a valid date. [error-roomId-param-invalid]",
                    errorType: "error-roomId-param-invalid"
                )
            }
            updatedSince = raw
        }
        guard let list = try await permissions.list(userId: caller.userId, hashedToken: caller.hashedToken, updatedSince: updatedSince) else {
            throw RocketChatError.notLoggedIn
        }
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
        let body = try await RequestBody.jsonObject(request, context: context)
        let invalid = RocketChatError(status: .badRequest, error: "Invalid body params", errorType: "error-invalid-body-params")
        guard let entries = body["permissions"]?.arrayValue, body.keys == ["permissions"] else { throw invalid }
        var changes: [JSONValue] = []
        for entry in entries {
            guard Set(entry.keys) == ["_id", "roles"], let id = entry["_id"]?.stringValue,
                let roles = entry["roles"]?.arrayValue, let names = Optional(roles.compactMap(\.stringValue)),
                names.count == roles.count, Set(names).count == names.count
            else { throw invalid }
            changes.append(.object([("_id", .string(id)), ("roles", .array(names.map(JSONValue.string)))]))
        }
        let changesJSON = JSONValue.array(changes).text
        switch try await permissions.update(userId: caller.userId, hashedToken: caller.hashedToken, changesJSON: changesJSON) {
        case .unauthenticated:
            throw RocketChatError.notLoggedIn
        case .forbidden:
            throw RocketChatError.permissionRequired
        case .unknownPermission:
            throw RocketChatError(status: .badRequest, error: "Invalid permission", errorType: "error-invalid-permission")
        case .unknownRole:
            throw RocketChatError(status: .badRequest, error: "Invalid role", errorType: "error-invalid-role")
        case .updated(let all):
            return .json(JSONWriter.success("permissions", raw: all))
        }
    }
}

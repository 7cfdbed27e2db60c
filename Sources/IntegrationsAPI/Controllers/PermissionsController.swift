import Foundation
import Hummingbird
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
        let parameters: QueryParameters
        do {
            parameters = try QueryParameters(request.uri.query)
        } catch {
            throw RocketChatError.invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)")
        }
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
        guard let entries = body["permissions"] as? [Any], body.count == 1 else { throw invalid }
        var changes: [[String: Any]] = []
        for entry in entries {
            guard let entry = entry as? [String: Any], entry.count == 2, let id = entry["_id"] as? String,
                let roles = entry["roles"] as? [Any], let names = roles as? [String], Set(names).count == names.count
            else { throw invalid }
            changes.append(["_id": id, "roles": names])
        }
        // Re-encoded from validated strings only, so the store receives a well-formed array.
        let changesJSON = String(decoding: try JSONSerialization.data(withJSONObject: changes), as: UTF8.self)
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
            var writer = JSONWriter(capacity: 2048)
            writer.beginObject()
            writer.field("permissions", raw: all)
            writer.field("success", raw: "true")
            writer.endObject()
            return .json(writer.buffer)
        }
    }
}

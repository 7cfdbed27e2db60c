import IntegrationsCore

/// The body of `permissions.update`: `{"permissions": [{"_id": "…", "roles": ["…"]}]}` and nothing else, each
/// entry with exactly those two keys and distinct role names.
struct PermissionsUpdateRequest {
    /// The changes as the JSON array the store's statement reads.
    let changesJSON: String

    static let invalid = RocketChatError.failure("Invalid body params", errorType: "error-invalid-body-params")

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        guard let entries = body["permissions"]?.arrayValue, body.keys == ["permissions"] else { throw Self.invalid }
        var changes: [JSONValue] = []
        for entry in entries {
            guard Set(entry.keys) == ["_id", "roles"], let id = entry["_id"]?.stringValue,
                let roles = entry["roles"]?.arrayValue, let names = Optional(roles.compactMap(\.stringValue)),
                names.count == roles.count, Set(names).count == names.count
            else { throw Self.invalid }
            changes.append(.object([("_id", .string(id)), ("roles", .array(names.map(JSONValue.string)))]))
        }
        changesJSON = JSONValue.array(changes).text
    }
}

/// Rocket.Chat documents from `mongoexport`, checked and shaped for storage: integrations and history records
/// keep their whole document (in plain JSON), users become rows of the users and login token tables.
public enum ImportedRecord {
    /// Why a record cannot be imported.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) {
            self.description = description
        }
    }

    /// An integration document: an object with a string `_id` and a known `type`.
    public static func integration(_ document: JSONValue) throws(Invalid) -> JSONValue {
        guard document["_id"]?.stringValue?.isEmpty == false else { throw Invalid("no string _id") }
        guard document["type"]?.stringValue.flatMap(IntegrationKind.init(rawValue:)) != nil else {
            throw Invalid("type is not webhook-incoming or webhook-outgoing")
        }
        return document
    }

    /// A history record: an object with a string `_id` and `integration._id`.
    public static func history(_ document: JSONValue) throws(Invalid) -> JSONValue {
        guard document["_id"]?.stringValue?.isEmpty == false else { throw Invalid("no string _id") }
        guard document["integration"]?["_id"]?.stringValue?.isEmpty == false else { throw Invalid("no string integration._id") }
        return document
    }

    /// A Rocket.Chat user: its row (password hash kept, so passwords keep working) and its login and personal
    /// access tokens (hashes kept, so tokens keep working).
    public static func user(_ document: JSONValue) throws(Invalid) -> (user: JSONValue, tokens: [JSONValue]) {
        guard let id = document["_id"]?.stringValue, !id.isEmpty else { throw Invalid("no string _id") }
        guard let username = document["username"]?.stringValue, !username.isEmpty else { throw Invalid("no username") }
        let email = document["emails"]?.arrayValue?.first
        var row: [(key: String, value: JSONValue)] = [("id", .string(id)), ("username", .string(username))]
        if let address = email?["address"]?.stringValue { row.append(("email", .string(address))) }
        if let verified = email?["verified"]?.boolValue { row.append(("email_verified", .bool(verified))) }
        if let name = document["name"]?.stringValue { row.append(("name", .string(name))) }
        if let hash = document["services"]?["password"]?["bcrypt"]?.stringValue { row.append(("password_hash", .string(hash))) }
        if let roles = document["roles"]?.arrayValue {
            row.append(("roles", .array(roles.compactMap(\.stringValue).map(JSONValue.string))))
        }
        if let type = document["type"]?.stringValue { row.append(("type", .string(type))) }
        if let active = document["active"]?.boolValue { row.append(("active", .bool(active))) }
        if let created = document["createdAt"]?.stringValue { row.append(("created_at", .string(created))) }
        if let updated = document["_updatedAt"]?.stringValue { row.append(("updated_at", .string(updated))) }
        var tokens: [JSONValue] = []
        for token in document["services"]?["resume"]?["loginTokens"]?.arrayValue ?? [] {
            guard let hashed = token["hashedToken"]?.stringValue else { continue }
            let personal = token["type"]?.stringValue == "personalAccessToken"
            var tokenRow: [(key: String, value: JSONValue)] = [
                ("hashed_token", .string(hashed)), ("user_id", .string(id)), ("type", .string(personal ? "personalAccessToken" : "login")),
            ]
            if personal, let name = token["name"]?.stringValue { tokenRow.append(("name", .string(name))) }
            if let created = (token["createdAt"] ?? token["when"])?.stringValue { tokenRow.append(("created_at", .string(created))) }
            tokens.append(.object(tokenRow))
        }
        return (.object(row), tokens)
    }
}

import IntegrationsCore

/// The body of `channels.create` and `groups.create`: `{name, members?, readOnly?}`, checked in Rocket.Chat's
/// order with its messages.
struct RoomCreateRequest: Equatable {
    let name: String
    let memberUsernames: [String]
    let readOnly: Bool

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        guard let name = body["name"]?.stringValue, !name.isEmpty else {
            throw .failure("Body param \"name\" is required")
        }
        guard Self.isValidName(name) else {
            throw .meteor(
                MeteorError(
                    "error-invalid-room-name",
                    "\(name) is not a valid room name",
                    details: [
                        ("function", "RocketChat.createRoom"), ("room_name", name),
                    ]
                )
            )
        }
        var members: [String] = []
        if let value = body["members"] {
            guard let list = value.arrayValue, let names = Optional(list.compactMap(\.stringValue)), names.count == list.count else {
                throw .failure("Body param \"members\" must be an array if provided")
            }
            members = names
        }
        if let readOnly = body["readOnly"], readOnly.boolValue == nil {
            throw .failure("Body param \"readOnly\" must be a boolean if provided")
        }
        self.name = name
        memberUsernames = members
        readOnly = body["readOnly"]?.boolValue ?? false
    }

    /// Rocket.Chat's default `UTF8_Channel_Names_Validation`, `[0-9a-zA-Z-_.]+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".")
            }
    }
}

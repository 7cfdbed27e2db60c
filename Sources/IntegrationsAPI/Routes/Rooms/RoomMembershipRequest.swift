import IntegrationsCore

/// The body of `channels.join` and `channels.leave`: `{roomId}`, a non-empty string.
struct RoomMembershipRequest: Equatable {
    let roomId: String

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        guard let roomId = body["roomId"]?.stringValue, !roomId.isEmpty else { throw RoomInfoQuery.roomParameterMissing }
        self.roomId = roomId
    }
}

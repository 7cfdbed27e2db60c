import IntegrationsCore

/// The query of `channels.info`: `roomId` or `roomName` (an empty one is absent).
struct RoomInfoQuery: Equatable {
    let roomId: String?
    let roomName: String?

    static let roomParameterMissing = RocketChatError.meteor(
        MeteorError("error-roomid-param-not-provided", reason: "The parameter \"roomId\" or \"roomName\" is required")
    )

    init(_ query: String?) throws(RocketChatError) {
        let listing = try ListQuery(query, allowed: ["roomId", "roomName"], sortFields: [])
        roomId = try ListQuery.single("roomId", in: listing.parameters).flatMap { $0.isEmpty ? nil : $0 }
        roomName = try ListQuery.single("roomName", in: listing.parameters).flatMap { $0.isEmpty ? nil : $0 }
        guard roomId != nil || roomName != nil else { throw Self.roomParameterMissing }
    }
}

import Hummingbird
import IntegrationsCore
import IntegrationsStore

/// `channels.create`, `groups.create`, `channels.info`, `channels.join`, `channels.leave`: the rooms and
/// memberships that integration channels (`#room`) are checked against.
struct RoomsController: Sendable {
    let rooms: RoomRepository

    /// Rocket.Chat's default `UTF8_Channel_Names_Validation`, `[0-9a-zA-Z-_.]+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }
    }

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/channels.create") { request, context in try await create(request, context: context, type: .channel) }
        router.post("/api/v1/groups.create") { request, context in try await create(request, context: context, type: .group) }
        router.get("/api/v1/channels.info", use: info)
        router.post("/api/v1/channels.join", use: join)
        router.post("/api/v1/channels.leave", use: leave)
    }

    /// `POST channels.create` / `groups.create` with `{name, members?, readOnly?}`.
    func create(_ request: Request, context: APIRequestContext, type: RoomRepository.RoomType) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        guard let name = body["name"]?.stringValue, !name.isEmpty else {
            throw RocketChatError.failure("Body param \"name\" is required")
        }
        guard Self.isValidName(name) else {
            throw RocketChatError.meteor(
                MeteorError("error-invalid-room-name", "\(name) is not a valid room name", details: [
                    ("function", "RocketChat.createRoom"), ("room_name", name),
                ])
            )
        }
        var members: [String] = []
        if let value = body["members"] {
            guard let list = value.arrayValue, let names = Optional(list.compactMap(\.stringValue)), names.count == list.count else {
                throw RocketChatError.failure("Body param \"members\" must be an array if provided")
            }
            members = names
        }
        if let readOnly = body["readOnly"], readOnly.boolValue == nil {
            throw RocketChatError.failure("Body param \"readOnly\" must be a boolean if provided")
        }
        let outcome = try await rooms.create(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            id: RandomToken.id(),
            name: name,
            type: type,
            readOnly: body["readOnly"]?.boolValue ?? false,
            memberUsernames: members
        )
        if outcome == .duplicateName {
            throw RocketChatError.meteor(
                MeteorError("error-duplicate-channel-name", "A channel with name '\(name)' exists", details: [
                    ("function", "RocketChat.createRoom"), ("channel_name", name),
                ])
            )
        }
        return try Self.respond(outcome, key: type == .channel ? "channel" : "group")
    }

    /// `GET channels.info?roomId=…|roomName=…`.
    @Sendable func info(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try ListQuery(request.uri.query, allowed: ["roomId", "roomName"], sortFields: [])
        let roomId = try ListQuery.single("roomId", in: query.parameters).flatMap { $0.isEmpty ? nil : $0 }
        let roomName = try ListQuery.single("roomName", in: query.parameters).flatMap { $0.isEmpty ? nil : $0 }
        guard roomId != nil || roomName != nil else { throw Self.roomParameterMissing }
        return try Self.respond(
            try await rooms.info(userId: caller.userId, hashedToken: caller.hashedToken, roomId: roomId, roomName: roomName),
            key: "channel"
        )
    }

    /// `POST channels.join` with `{roomId}`.
    @Sendable func join(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let roomId = try await Self.roomId(request, context: context)
        return try Self.respond(try await rooms.join(userId: caller.userId, hashedToken: caller.hashedToken, roomId: roomId), key: "channel")
    }

    /// `POST channels.leave` with `{roomId}`.
    @Sendable func leave(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let roomId = try await Self.roomId(request, context: context)
        return try Self.respond(try await rooms.leave(userId: caller.userId, hashedToken: caller.hashedToken, roomId: roomId), key: "channel")
    }

    static let roomParameterMissing = RocketChatError.meteor(
        MeteorError("error-roomid-param-not-provided", reason: "The parameter \"roomId\" or \"roomName\" is required")
    )

    private static func roomId(_ request: Request, context: APIRequestContext) async throws -> String {
        let body = try await RequestBody.jsonObject(request, context: context)
        guard let roomId = body["roomId"]?.stringValue, !roomId.isEmpty else { throw roomParameterMissing }
        return roomId
    }

    private static func respond(_ outcome: RoomRepository.Outcome, key: String) throws -> Response {
        switch outcome {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .forbidden: throw RocketChatError.permissionRequired
        case .duplicateName: throw RocketChatError.failure("A room with this name exists")
        case .notFound:
            throw RocketChatError.meteor(
                MeteorError("error-room-not-found", reason: "The required \"roomId\" or \"roomName\" param provided does not match any channel")
            )
        case .notMember:
            throw RocketChatError.meteor(MeteorError("error-user-not-in-room", reason: "You are not in this room"))
        case .room(let room):
            return .json(JSONWriter.success(key, raw: room))
        }
    }
}

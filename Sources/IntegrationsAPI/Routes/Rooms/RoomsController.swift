import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore

/// `channels.create`, `groups.create`, `channels.info`, `channels.join`, `channels.leave`: the rooms and
/// memberships that integration channels (`#room`) are checked against.
struct RoomsController: Sendable {
    let rooms: RoomRepository
    let validator: RequestValidator

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/channels.create") { request, context in try await create(request, context: context, type: .channel) }
        router.post("/api/v1/groups.create") { request, context in try await create(request, context: context, type: .group) }
        router.get("/api/v1/channels.info", use: info)
        router.post("/api/v1/channels.join", use: join)
        router.post("/api/v1/channels.leave", use: leave)
        router.post("/api/v1/channels.archive", use: archive)
    }

    /// `POST channels.create` / `groups.create` with `{name, members?, readOnly?}`.
    func create(_ request: Request, context: APIRequestContext, type: RoomRepository.RoomType) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let create = try await validator.validate(caller) { () throws(RocketChatError) in try RoomCreateRequest(body) }
        let name = create.name
        let room = try await rooms.create(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            id: RandomToken.id(),
            name: name,
            type: type,
            readOnly: create.readOnly,
            memberUsernames: create.memberUsernames
        ).value([
            .duplicateName: .meteor(
                MeteorError(
                    "error-duplicate-channel-name",
                    "A channel with name '\(name)' exists",
                    details: [
                        ("function", "RocketChat.createRoom"), ("channel_name", name),
                    ]
                )
            )
        ])
        return .json(JSONWriter.success(type == .channel ? "channel" : "group", raw: room))
    }

    /// `GET channels.info?roomId=…|roomName=…`.
    @Sendable func info(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try RoomInfoQuery(request.uri.query) }
        let room = try await rooms.info(userId: caller.userId, hashedToken: caller.hashedToken, roomId: query.roomId, roomName: query.roomName)
            .value(Self.refusals)
        return .json(JSONWriter.success("channel", raw: room))
    }

    /// `POST channels.join` with `{roomId}`.
    @Sendable func join(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let membership = try await validator.validate(caller) { () throws(RocketChatError) in try RoomMembershipRequest(body) }
        let room = try await rooms.join(userId: caller.userId, hashedToken: caller.hashedToken, roomId: membership.roomId)
            .value(Self.refusals)
        return .json(JSONWriter.success("channel", raw: room))
    }

    /// `POST channels.leave` with `{roomId}`.
    @Sendable func leave(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let membership = try await validator.validate(caller) { () throws(RocketChatError) in try RoomMembershipRequest(body) }
        let room = try await rooms.leave(userId: caller.userId, hashedToken: caller.hashedToken, roomId: membership.roomId)
            .value(Self.refusals)
        return .json(JSONWriter.success("channel", raw: room))
    }

    /// `POST channels.archive` with `{roomId}`: archives the channel (Rocket.Chat's `archiveRoom`).
    @Sendable func archive(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let membership = try await validator.validate(caller) { () throws(RocketChatError) in try RoomMembershipRequest(body) }
        try await rooms.archive(userId: caller.userId, hashedToken: caller.hashedToken, roomId: membership.roomId).value([
            .notFound: Self.roomNotFound,
            .notAuthorized: .meteor("error-not-authorized", reason: "Not authorized", method: "archiveRoom"),
        ])
        return .json(ByteBuffer(string: #"{"success":true}"#))
    }

    static let roomNotFound = RocketChatError.meteor(
        MeteorError("error-room-not-found", reason: "The required \"roomId\" or \"roomName\" param provided does not match any channel")
    )

    /// How `channels.info`, `.join` and `.leave` answer the store's refusals.
    static let refusals: RefusalAnswers = [
        .notFound: roomNotFound,
        .notMember: .meteor(MeteorError("error-user-not-in-room", reason: "You are not in this room")),
    ]
}

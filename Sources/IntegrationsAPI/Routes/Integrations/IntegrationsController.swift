import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore

/// `/api/v1/integrations.*`: each route validates its request with its own type (``IntegrationGetQuery``,
/// ``IntegrationCreateRequest``, …), calls one store method, and writes Rocket.Chat's answer.
struct IntegrationsController: Sendable {
    let integrations: IntegrationRepository
    let deliveries: DeliveryRepository
    let validator: RequestValidator

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/integrations.get", use: get)
        router.get("/api/v1/integrations.list", use: list)
        router.get("/api/v1/integrations.history", use: history)
        router.post("/api/v1/integrations.create", use: create)
        router.put("/api/v1/integrations.update", use: update)
        router.post("/api/v1/integrations.remove", use: remove)
        router.post("/api/v1/integrations.clearHistory", use: clearHistory)
        router.post("/api/v1/integrations.replayOutgoing", use: replayOutgoing)
    }

    static let getRefusals: RefusalAnswers = [
        .notFound: .failure("The integration does not exists."),
        .forbidden: .failure("not-authorized"),
    ]

    /// `GET integrations.get?integrationId=…[&createdBy=…][&historyCount=…]`: the integration and its newest
    /// history records, decided and read in one database round trip, spliced into the answer as stored.
    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationGetQuery(request.uri.query) }
        let documents = try await integrations.get(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            integrationId: query.integrationId,
            createdBy: query.createdBy,
            historyCount: query.historyCount
        ).value(Self.getRefusals)
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        documents.withIntegration { writer.field("integration", rawBytes: $0) }
        documents.withHistory { writer.field("history", rawBytes: $0) }
        writer.field("success", raw: "true")
        writer.endObject()
        return .json(writer.buffer)
    }

    /// `GET integrations.list?offset&count&sort&name&type`: the integrations the caller may see.
    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationListQuery(request.uri.query) }
        let page = try await integrations.list(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            nameContains: query.nameContains,
            type: query.type,
            page: query.page,
            sort: query.sort
        ).value()
        return .json(JSONWriter.page(page, key: "integrations", offset: query.page.offset))
    }

    /// `GET integrations.history?id&offset&count&sort`: the history records of one outgoing integration.
    @Sendable func history(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationHistoryQuery(request.uri.query) }
        let page = try await integrations.history(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            integrationId: query.integrationId,
            page: query.page,
            sort: query.sort
        ).value()
        return .json(JSONWriter.page(page, key: "history", offset: query.page.offset))
    }

    /// `POST integrations.create`: an incoming or outgoing integration, checked as Rocket.Chat's add methods do.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let create = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationCreateRequest(body) }
        let document = try await integrations.create(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            kind: create.kind,
            body: create.body
        ).value()
        return .json(JSONWriter.success("integration", raw: document))
    }

    static let updateRefusals: RefusalAnswers = [.notFound: .failure("No integration found.")]

    /// `PUT integrations.update`: the fields Rocket.Chat's update methods change, on the integration named by
    /// `integrationId` (or, for an outgoing one, `target_url`).
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let update = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationUpdateRequest(body) }
        let document = try await integrations.update(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            kind: update.kind,
            integrationId: update.integrationId,
            targetURL: update.targetURL,
            body: update.body
        ).value(Self.updateRefusals)
        return .json(JSONWriter.success("integration", raw: document))
    }

    static let removeIncomingRefusals = removeRefusals(method: IntegrationRemoveRequest.method(for: .incoming))
    static let removeOutgoingRefusals = removeRefusals(method: IntegrationRemoveRequest.method(for: .outgoing))

    /// How `integrations.remove` answers for the delete method of one kind.
    static func removeRefusals(method: String) -> RefusalAnswers {
        [
            .notFound: .failure("No integration found."),
            .notAuthorized: .meteor("not_authorized", reason: "Unauthorized", method: method),
            .invalidIntegration: .meteor("error-invalid-integration", reason: "Invalid integration", method: method),
        ]
    }

    /// `POST integrations.remove` with `{type, integrationId}` or `{type: "webhook-outgoing", target_url}`:
    /// deletes the integration (and an outgoing one's history) and answers it as it was.
    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let remove = try await validator.validate(caller) { () throws(RocketChatError) in try IntegrationRemoveRequest(body) }
        let document = try await integrations.remove(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            kind: remove.kind,
            integrationId: remove.integrationId,
            targetURL: remove.targetURL
        ).value(remove.kind == .outgoing ? Self.removeOutgoingRefusals : Self.removeIncomingRefusals)
        return .json(JSONWriter.success("integration", raw: document))
    }

    static let clearHistoryRefusals: RefusalAnswers = [
        .invalidIntegration: .meteor("error-invalid-integration", reason: "Invalid integration", method: "clearIntegrationHistory")
    ]

    /// `POST integrations.clearHistory` with `{integrationId}`: deletes the integration's history.
    @Sendable func clearHistory(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let clear = try await validator.validate(caller) { () throws(RocketChatError) in try ClearHistoryRequest(body) }
        try await integrations.clearHistory(userId: caller.userId, hashedToken: caller.hashedToken, integrationId: clear.integrationId)
            .value(Self.clearHistoryRefusals)
        return .json(ByteBuffer(string: #"{"success":true}"#))
    }

    static let replayRefusals: RefusalAnswers = [
        .invalidIntegration: .meteor("error-invalid-integration", reason: "Invalid integration", method: "replayOutgoingIntegration"),
        .invalidHistory: .meteor("error-invalid-integration-history", reason: "Invalid Integration History", method: "replayOutgoingIntegration"),
        .notOutgoing: .meteor(
            MeteorError("integration-type-must-be-outgoing", reason: "The integration type to replay must be an outgoing webhook.")
        ),
        .historyWithoutData: .meteor(
            MeteorError("history-data-must-be-defined", reason: "The history data must be defined to replay an integration.")
        ),
    ]

    /// `POST integrations.replayOutgoing` with `{integrationId, historyId}`: delivers the recorded payload again
    /// (a new delivery, with a new history record per attempt).
    @Sendable func replayOutgoing(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.json(request, context: context)
        let replay = try await validator.validate(caller) { () throws(RocketChatError) in try ReplayOutgoingRequest(body) }
        try await deliveries.replay(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            integrationId: replay.integrationId,
            historyId: replay.historyId
        ).value(Self.replayRefusals)
        return .json(ByteBuffer(string: #"{"success":true}"#))
    }
}

import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore

/// `/api/v1/integrations.*`.
struct IntegrationsController: Sendable {
    let integrations: IntegrationRepository
    let users: UserRepository

    /// Integration ids are opaque, but longer ones cannot exist (Rocket.Chat uses 17 or 24 characters).
    static let maximumIdLength = 128
    static let defaultHistoryCount = 10
    static let maximumHistoryCount = 100

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/integrations.get", use: get)
        router.get("/api/v1/integrations.list", use: list)
        router.get("/api/v1/integrations.history", use: history)
        router.post("/api/v1/integrations.create", use: create)
        router.put("/api/v1/integrations.update", use: update)
        router.post("/api/v1/integrations.remove", use: remove)
        router.post("/api/v1/integrations.clearHistory", use: clearHistory)
    }

    /// The body schema of `integrations.create` (Rocket.Chat's `oneOf` of an incoming and an outgoing object,
    /// `type` matched by an unanchored pattern).
    static let incomingProperties: [BodySchema.Property] = [
        .string("type", pattern: "webhook-incoming"), .string("username"), .string("channel"), .boolean("scriptEnabled"),
        .string("name"), .boolean("enabled"), .boolean("overrideDestinationChannelEnabled"), .string("script"),
        .string("alias"), .string("avatar"), .string("emoji"), .string("scriptEngine"),
    ]
    static let outgoingProperties: [BodySchema.Property] = [
        .string("type", pattern: "webhook-outgoing"), .string("username"), .string("channel"), .string("event"),
        .boolean("scriptEnabled"), .string("name"), .boolean("enabled"), .string("targetRoom"),
        .strings("urls", minLength: 1), .strings("triggerWords", minLength: 1), .boolean("triggerWordAnywhere"),
        .string("token"), .string("script"), .boolean("runOnEdits"), .boolean("retryFailedCalls"), .number("retryCount"),
        .string("retryDelay"), .boolean("impersonateUser"), .string("alias"), .string("avatar"), .string("emoji"),
        .string("scriptEngine"),
    ]

    /// `POST integrations.create`: an incoming or outgoing integration, checked as Rocket.Chat's add methods do.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        let schemaError = BodySchema.oneOf([
            BodySchema.firstError(
                of: body, required: ["type", "username", "channel", "scriptEnabled", "name", "enabled"],
                properties: Self.incomingProperties, additionalProperties: false
            ),
            BodySchema.firstError(
                of: body, required: ["type", "username", "channel", "event", "scriptEnabled", "name", "enabled"],
                properties: Self.outgoingProperties, additionalProperties: false
            ),
        ])
        let kind = try await kind(of: body, schemaError: schemaError, caller: caller)
        switch try await integrations.create(userId: caller.userId, hashedToken: caller.hashedToken, kind: kind, body: body) {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .rejected(let error): throw RocketChatError.meteor(error)
        case .created(let document): return .json(JSONWriter.success("integration", raw: document))
        }
    }

    /// `PUT integrations.update`: the fields Rocket.Chat's update methods change, on the integration named by
    /// `integrationId` (or, for an outgoing one, `target_url`).
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        let schemaError = BodySchema.oneOf([
            BodySchema.firstError(
                of: body, required: ["integrationId", "type", "channel", "scriptEnabled", "name", "enabled"],
                properties: [.string("integrationId")] + Self.incomingProperties, additionalProperties: true
            ),
            BodySchema.firstError(
                of: body, required: ["type", "username", "channel", "event", "scriptEnabled", "name", "enabled"],
                properties: [.string("integrationId"), .string("target_url")] + Self.outgoingProperties, additionalProperties: true
            ),
        ])
        let kind = try await kind(of: body, schemaError: schemaError, caller: caller)
        let targetURL = kind == .outgoing ? body["target_url"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } : nil
        let integrationId = body["integrationId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        guard targetURL != nil || integrationId != nil else {
            try await requireAuthenticated(caller)
            throw RocketChatError.failure("No integration found.")
        }
        let outcome = try await integrations.update(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            kind: kind,
            integrationId: integrationId,
            targetURL: targetURL,
            body: body
        )
        switch outcome {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .notFound: throw RocketChatError.failure("No integration found.")
        case .rejected(let error): throw RocketChatError.meteor(error)
        case .updated(let document): return .json(JSONWriter.success("integration", raw: document))
        }
    }

    /// The kind a create or update body names, after its schema check; a schema error, or a `type` that only
    /// matched the unanchored pattern, is answered as Rocket.Chat does (after authentication, like Rocket.Chat).
    private func kind(of body: JSONValue, schemaError: String?, caller: CallerCredentials) async throws -> IntegrationRepository.Kind {
        if let schemaError {
            try await requireAuthenticated(caller)
            throw RocketChatError.invalidParams(schemaError)
        }
        switch body["type"]?.stringValue {
        case "webhook-outgoing": return .outgoing
        case "webhook-incoming": return .incoming
        default:
            try await requireAuthenticated(caller)
            throw RocketChatError.failure("Invalid integration type.")
        }
    }

    /// `POST integrations.remove` with `{type, integrationId}` or `{type: "webhook-outgoing", target_url}`:
    /// deletes the integration (and an outgoing one's history) and answers it as it was.
    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        let branches: [String?] = [
            BodySchema.firstError(
                of: body, required: ["type", "integrationId"],
                properties: [.string("type", pattern: "webhook-incoming"), .string("integrationId")], additionalProperties: true
            ),
            BodySchema.firstError(
                of: body, required: ["type", "target_url"],
                properties: [.string("type", pattern: "webhook-outgoing"), .string("target_url")], additionalProperties: true
            ),
            BodySchema.firstError(
                of: body, required: ["type", "integrationId"],
                properties: [.string("type", pattern: "webhook-outgoing"), .string("integrationId")], additionalProperties: true
            ),
        ]
        let kind = try await kind(of: body, schemaError: BodySchema.oneOf(branches), caller: caller)
        let outcome = try await integrations.remove(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            kind: kind,
            integrationId: body["integrationId"]?.stringValue,
            targetURL: kind == .outgoing ? body["target_url"]?.stringValue : nil
        )
        let method = kind == .outgoing ? "deleteOutgoingIntegration" : "deleteIncomingIntegration"
        switch outcome {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .forbidden: throw RocketChatError.permissionRequired
        case .notFound: throw RocketChatError.failure("No integration found.")
        case .notAuthorized: throw RocketChatError.meteor("not_authorized", reason: "Unauthorized", method: method)
        case .invalidIntegration: throw RocketChatError.meteor("error-invalid-integration", reason: "Invalid integration", method: method)
        case .removed(let document):
            return .json(JSONWriter.success("integration", raw: document))
        }
    }

    /// `POST integrations.clearHistory` with `{integrationId}`: deletes the integration's history.
    @Sendable func clearHistory(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let body = try await RequestBody.jsonObject(request, context: context)
        if let error = BodySchema.firstError(
            of: body, required: ["integrationId"], properties: [.string("integrationId", minLength: 1)], additionalProperties: false
        ) {
            try await requireAuthenticated(caller)
            throw RocketChatError.invalidParams(error)
        }
        let integrationId = body["integrationId"]?.stringValue ?? ""
        switch try await integrations.clearHistory(userId: caller.userId, hashedToken: caller.hashedToken, integrationId: integrationId) {
        case .unauthenticated: throw RocketChatError.notLoggedIn
        case .forbidden: throw RocketChatError.permissionRequired
        case .invalidIntegration:
            throw RocketChatError.meteor("error-invalid-integration", reason: "Invalid integration", method: "clearIntegrationHistory")
        case .cleared:
            return .json(ByteBuffer(string: #"{"success":true}"#))
        }
    }

    /// `GET integrations.list?offset&count&sort&name&type`: the integrations the caller may see.
    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query: ListQuery
        let name: String?
        let type: String?
        do {
            query = try ListQuery(request.uri.query, allowed: ["name", "type"], sortFields: SortKey.integrationFields)
            name = try ListQuery.single("name", in: query.parameters)
            type = try ListQuery.single("type", in: query.parameters)
        } catch {
            try await requireAuthenticated(caller)
            throw error
        }
        let lookup = try await integrations.list(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            nameContains: name?.isEmpty == false ? name : nil,
            type: type?.isEmpty == false ? type : nil,
            page: query.page,
            sort: query.sort
        )
        return try Self.listResponse(lookup, key: "integrations", offset: query.page.offset)
    }

    /// `GET integrations.history?id&offset&count&sort`: the history records of one outgoing integration.
    @Sendable func history(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let query: ListQuery
        let id: String
        do {
            query = try ListQuery(request.uri.query, allowed: ["id"], sortFields: SortKey.historyFields)
            guard let value = try ListQuery.single("id", in: query.parameters) else {
                throw RocketChatError.invalidParams("must have required property 'id'")
            }
            guard !value.allSatisfy(\.isWhitespace) else { throw RocketChatError.failure("Invalid integration id.") }
            id = value
        } catch {
            try await requireAuthenticated(caller)
            throw error
        }
        let lookup = try await integrations.history(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            integrationId: id,
            page: query.page,
            sort: query.sort
        )
        return try Self.listResponse(lookup, key: "history", offset: query.page.offset)
    }

    /// Rocket.Chat's list envelope: `{"<key>": [...], "offset", "items", "count", "total", "success"}`.
    private static func listResponse(_ lookup: PagedLookup, key: String, offset: Int) throws -> Response {
        switch lookup {
        case .unauthenticated:
            throw RocketChatError.notLoggedIn
        case .forbidden:
            throw RocketChatError.permissionRequired
        case .found(let page):
            var writer = JSONWriter(capacity: 4096)
            writer.beginObject()
            page.withDocuments { writer.field(key, rawBytes: $0) }
            writer.field("offset", raw: String(offset))
            writer.field("items", raw: String(page.count))
            writer.field("count", raw: String(page.count))
            writer.field("total", raw: String(page.total))
            writer.field("success", raw: "true")
            writer.endObject()
            return .json(writer.buffer)
        }
    }

    /// Rocket.Chat authenticates before it validates parameters: a bad query from a stranger is a 401.
    private func requireAuthenticated(_ caller: CallerCredentials) async throws {
        guard try await users.authenticate(userId: caller.userId, hashedToken: caller.hashedToken) != nil else {
            throw RocketChatError.notLoggedIn
        }
    }

    /// `GET integrations.get?integrationId=…[&createdBy=…][&historyCount=…]`: the integration and its newest
    /// history records, decided and read in one database round trip.
    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let parameters: GetParameters
        do {
            parameters = try GetParameters(request.uri.query)
        } catch {
            try await requireAuthenticated(caller)
            throw error
        }
        let lookup = try await integrations.get(
            userId: caller.userId,
            hashedToken: caller.hashedToken,
            integrationId: parameters.integrationId,
            createdBy: parameters.createdBy,
            historyCount: parameters.historyCount
        )
        switch lookup {
        case .unauthenticated:
            throw RocketChatError.notLoggedIn
        case .notFound:
            throw RocketChatError.failure("The integration does not exists.")
        case .forbidden:
            throw RocketChatError.failure("not-authorized")
        case .found(let documents):
            var writer = JSONWriter(capacity: 1024)
            writer.beginObject()
            documents.withIntegration { writer.field("integration", rawBytes: $0) }
            documents.withHistory { writer.field("history", rawBytes: $0) }
            writer.field("success", raw: "true")
            writer.endObject()
            return .json(writer.buffer)
        }
    }

    /// The validated query of `integrations.get`.
    struct GetParameters {
        let integrationId: String
        let createdBy: String?
        let historyCount: Int

        init(_ query: String?) throws(RocketChatError) {
            let parameters = try QueryParameters.parse(query)
            integrationId = try Self.single("integrationId", in: parameters, required: true) ?? ""
            guard !integrationId.isEmpty else { throw .failure("The query parameter \"integrationId\" is required.") }
            // Rocket.Chat ignores a falsy `createdBy`.
            let creator = try Self.single("createdBy", in: parameters, required: false)
            createdBy = creator?.isEmpty == false ? creator : nil
            if let count = try Self.single("historyCount", in: parameters, required: false) {
                guard count.utf8.count <= 3, count.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                    let value = Int(count), value <= IntegrationsController.maximumHistoryCount
                else {
                    throw .invalidParams("historyCount must be an integer from 0 to \(IntegrationsController.maximumHistoryCount)")
                }
                historyCount = value
            } else {
                historyCount = IntegrationsController.defaultHistoryCount
            }
        }

        private static func single(_ name: String, in parameters: QueryParameters, required: Bool) throws(RocketChatError) -> String? {
            let value = try parameters.single(name, maximumLength: IntegrationsController.maximumIdLength)
            if value == nil, required { throw .invalidParams("must have required property '\(name)'") }
            return value
        }
    }
}

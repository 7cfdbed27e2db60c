import Hummingbird
import IntegrationsStore

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
    }

    /// `GET integrations.get?integrationId=…[&createdBy=…][&historyCount=…]`: the integration and its newest
    /// history records, decided and read in one database round trip.
    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        let parameters: GetParameters
        do {
            parameters = try GetParameters(request.uri.query)
        } catch {
            // Rocket.Chat authenticates before it validates parameters.
            guard try await users.authenticate(userId: caller.userId, hashedToken: caller.hashedToken) != nil else {
                throw RocketChatError.notLoggedIn
            }
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
            let parameters: QueryParameters
            do {
                parameters = try QueryParameters(query)
            } catch {
                throw .invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)")
            }
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
            let values = parameters.all(name)
            switch values.count {
            case 0:
                if required { throw .invalidParams("must have required property '\(name)'") }
                return nil
            case 1:
                guard values[0].utf8.count <= IntegrationsController.maximumIdLength else {
                    throw .invalidParams("\(name) must NOT have more than \(IntegrationsController.maximumIdLength) characters")
                }
                return values[0]
            default:
                throw .invalidParams("\(name) must be string")
            }
        }
    }
}

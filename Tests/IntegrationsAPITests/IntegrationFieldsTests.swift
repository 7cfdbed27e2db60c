import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// How a body's kind is told once Rocket.Chat's schema has been checked.
@Suite struct IntegrationFieldsTests {
    func kind(_ body: String, schemaError: String? = nil) throws -> Result<IntegrationKind, RocketChatError> {
        let body = try json(body)
        do {
            return .success(try IntegrationFields.kind(of: body, schemaError: schemaError))
        } catch {
            return .failure(error)
        }
    }

    @Test func theExactTypesNameTheKinds() throws {
        #expect(try kind(#"{"type":"webhook-incoming"}"#) == .success(.incoming))
        #expect(try kind(#"{"type":"webhook-outgoing"}"#) == .success(.outgoing))
    }

    @Test func aSchemaErrorIsInvalidParamsWhateverTheType() throws {
        #expect(try kind(#"{"type":"webhook-incoming"}"#, schemaError: "must be boolean") == .failure(.invalidParams("must be boolean")))
    }

    /// `"xwebhook-incoming"` satisfies the unanchored pattern, then misses the handler's `switch`.
    @Test(arguments: ["xwebhook-incoming", "webhook-incoming-invalid", "webhook-outgoing-invalid", "WEBHOOK-INCOMING", "webhook-incoming "])
    func aTypeThatOnlyMatchesThePatternIsAnInvalidIntegrationType(type: String) async throws {
        let result = try kind(#"{"type":"\#(type)"}"#)
        #expect(result == .failure(.failure("Invalid integration type.")))
        if case .failure(let error) = result {
            #expect(try await error.renderedBody == #"{"success":false,"error":"Invalid integration type."}"#)
        }
    }

    @Test func aMissingOrNonStringTypeIsAnInvalidIntegrationType() throws {
        #expect(try kind("{}") == .failure(.failure("Invalid integration type.")))
        #expect(try kind(#"{"type":1}"#) == .failure(.failure("Invalid integration type.")))
    }

    @Test func theKindsDeclareRocketChatsProperties() {
        #expect(
            IntegrationFields.incoming.map(\.name) == [
                "type", "username", "channel", "scriptEnabled", "name", "enabled", "overrideDestinationChannelEnabled", "script", "alias",
                "avatar", "emoji", "scriptEngine",
            ]
        )
        #expect(
            IntegrationFields.outgoing.map(\.name) == [
                "type", "username", "channel", "event", "scriptEnabled", "name", "enabled", "targetRoom", "urls", "triggerWords",
                "triggerWordAnywhere", "token", "script", "runOnEdits", "retryFailedCalls", "retryCount", "retryDelay", "impersonateUser",
                "alias", "avatar", "emoji", "scriptEngine",
            ]
        )
    }
}

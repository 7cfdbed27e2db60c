import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `integrations.remove` (spec 3.6, rows 20 and 31 of Rocket.Chat's end-to-end tests).
@Suite struct IntegrationRemoveRequestTests {
    func request(_ body: String) throws -> Result<IntegrationRemoveRequest, RocketChatError> {
        let body = try json(body)
        do {
            return .success(try IntegrationRemoveRequest(body))
        } catch {
            return .failure(error)
        }
    }

    func refusal(_ body: String) throws -> RocketChatError? {
        if case .failure(let error) = try request(body) { return error }
        return nil
    }

    @Test func anIncomingIntegrationIsNamedById() throws {
        let remove = try request(#"{"type":"webhook-incoming","integrationId":"i1"}"#).get()
        #expect(remove.kind == .incoming)
        #expect(remove.integrationId == "i1")
        #expect(remove.targetURL == nil)
        #expect(remove.method == "deleteIncomingIntegration")
    }

    @Test func anIncomingIntegrationIgnoresATargetURL() throws {
        let remove = try request(#"{"type":"webhook-incoming","integrationId":"i1","target_url":"http://a"}"#).get()
        #expect(remove.targetURL == nil)
    }

    @Test func anOutgoingIntegrationIsNamedByTargetURLOrById() throws {
        let byURL = try request(#"{"type":"webhook-outgoing","target_url":"http://a"}"#).get()
        #expect(byURL.kind == .outgoing)
        #expect(byURL.targetURL == "http://a")
        #expect(byURL.integrationId == nil)
        #expect(byURL.method == "deleteOutgoingIntegration")
        let byId = try request(#"{"type":"webhook-outgoing","integrationId":"o1"}"#).get()
        #expect(byId.integrationId == "o1")
        #expect(byId.targetURL == nil)
    }

    @Test func otherPropertiesAreAllowed() throws {
        #expect(try refusal(#"{"type":"webhook-incoming","integrationId":"i1","extra":true}"#) == nil)
    }

    @Test func anEmptyBodyMissesTypeInAllThreeBranches() async throws {
        let error = try #require(try refusal("{}"))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"must have required property 'type'\n must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf [invalid-params]","errorType":"invalid-params"}"#
        )
    }

    @Test func anInvalidTypeFailsEveryBranch() throws {
        #expect(
            try refusal(#"{"type":"invalid-type","integrationId":"x"}"#)
                == .invalidParams(
                    "must match pattern \"webhook-incoming\"\n must have required property 'target_url'\n must match pattern \"webhook-outgoing\"\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func anOutgoingIntegrationWithNeitherKeyFailsTheSchema() throws {
        #expect(
            try refusal(#"{"type":"webhook-outgoing"}"#)
                == .invalidParams(
                    "must have required property 'integrationId'\n must have required property 'target_url'\n must have required property 'integrationId'\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func aNonStringIdIsNamed() throws {
        #expect(
            try refusal(#"{"type":"webhook-incoming","integrationId":5}"#)
                == .invalidParams(
                    "must be string\n must have required property 'target_url'\n must match pattern \"webhook-outgoing\"\n must match exactly one schema in oneOf"
                )
        )
    }

    /// Both keys match two branches, which `oneOf` refuses.
    @Test func anOutgoingIntegrationWithBothKeysMatchesTwoBranches() throws {
        let error = try #require(try refusal(#"{"type":"webhook-outgoing","integrationId":"x","target_url":"y"}"#))
        #expect(error.errorType == "invalid-params")
        #expect(error.error.hasSuffix("must match exactly one schema in oneOf [invalid-params]"))
        #expect(error == .invalidParams("must match pattern \"webhook-incoming\"\n must match exactly one schema in oneOf"))
    }

    @Test(arguments: ["webhook-outgoing-invalid", "webhook-incoming-invalid"])
    func aTypeOnlyMatchingThePatternIsAnInvalidIntegrationType(type: String) throws {
        #expect(try refusal(#"{"type":"\#(type)","integrationId":"x"}"#) == .failure("Invalid integration type."))
    }
}

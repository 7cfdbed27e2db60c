import Foundation
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `integrations.update` (spec 3.5): Rocket.Chat's schema, then the integration it names.
@Suite struct IntegrationUpdateRequestTests {
    static let incoming =
        #"{"type":"webhook-incoming","integrationId":"i1","name":"Incoming test updated","enabled":true,"scriptEnabled":true,"channel":"\#u{23}general"}"#
    static let outgoing = IntegrationCreateRequestTests.guggy

    func request(_ body: String) throws -> Result<IntegrationUpdateRequest, RocketChatError> {
        let body = try json(body)
        do {
            return .success(try IntegrationUpdateRequest(body))
        } catch {
            return .failure(error)
        }
    }

    func refusal(_ body: String) throws -> RocketChatError? {
        if case .failure(let error) = try request(body) { return error }
        return nil
    }

    func adding(_ member: String, to body: String) -> String {
        String(body.dropLast()) + "," + member + "}"
    }

    @Test func anIncomingUpdateNamesItsIntegrationById() throws {
        let update = try request(Self.incoming).get()
        #expect(update.kind == .incoming)
        #expect(update.integrationId == "i1")
        #expect(update.targetURL == nil)
        #expect(update.body == (try json(Self.incoming)))
    }

    @Test func theIncomingSchemaAllowsOtherProperties() throws {
        let body = adding(#""username":"poster","overrideDestinationChannelEnabled":true,"anything":[1]"#, to: Self.incoming)
        #expect(try request(body).get().kind == .incoming)
    }

    @Test func anIncomingUpdateIgnoresATargetURL() throws {
        let update = try request(adding(#""target_url":"http://a""#, to: Self.incoming)).get()
        #expect(update.targetURL == nil)
        #expect(update.integrationId == "i1")
    }

    @Test func anOutgoingUpdateNamesItsIntegrationByTargetURLOrId() throws {
        let byURL = try request(adding(#""target_url":"http://a""#, to: Self.outgoing)).get()
        #expect(byURL.kind == .outgoing)
        #expect(byURL.targetURL == "http://a")
        #expect(byURL.integrationId == nil)
        let both = try request(adding(#""target_url":"http://a","integrationId":"o1""#, to: Self.outgoing)).get()
        #expect(both.targetURL == "http://a")
        #expect(both.integrationId == "o1")
    }

    @Test func anEmptyTargetURLOrIdNamesNothing() throws {
        let byId = try request(adding(#""target_url":"","integrationId":"o1""#, to: Self.outgoing)).get()
        #expect(byId.targetURL == nil)
        #expect(byId.integrationId == "o1")
    }

    @Test func withoutAnIdOrATargetURLNoIntegrationIsFound() async throws {
        for body in [
            Self.outgoing, adding(#""integrationId":"","target_url":"""#, to: Self.outgoing), Self.incoming.replacingOccurrences(of: "i1", with: ""),
        ] {
            let error = try #require(try refusal(body))
            #expect(error == .failure("No integration found."), "\(body)")
            #expect(try await error.renderedBody == #"{"success":false,"error":"No integration found."}"#)
        }
    }

    @Test func theSchemaIsCheckedFirst() throws {
        #expect(
            try refusal("{}")
                == .invalidParams(
                    "must have required property 'integrationId'\n must have required property 'type'\n must match exactly one schema in oneOf"
                )
        )
        #expect(
            try refusal(#"{"type":"webhook-incoming","integrationId":"x"}"#)
                == .invalidParams(
                    "must have required property 'channel'\n must have required property 'username'\n must match exactly one schema in oneOf"
                )
        )
        #expect(
            try refusal(Self.incoming.replacingOccurrences(of: #""i1""#, with: "5"))
                == .invalidParams("must be string\n must have required property 'username'\n must match exactly one schema in oneOf")
        )
    }

    @Test func anUnanchoredTypeIsAnInvalidIntegrationTypeBeforeTheLookup() throws {
        let body = Self.incoming.replacingOccurrences(of: #""webhook-incoming""#, with: #""webhook-incoming-x""#).replacingOccurrences(
            of: "i1",
            with: ""
        )
        #expect(try refusal(body) == .failure("Invalid integration type."))
    }

    /// Rocket.Chat's outgoing branch of the update schema is `additionalProperties: false`.
    @Test func anOutgoingUpdateRefusesUndeclaredProperties() throws {
        let extra = try refusal(adding(#""target_url":"http://a","extra":1"#, to: Self.outgoing))
        #expect(
            extra
                == .invalidParams(
                    "must have required property 'integrationId'\n must NOT have additional properties\n must match exactly one schema in oneOf"
                )
        )
    }
}

import Foundation
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `integrations.create` against Rocket.Chat's `oneOf` schema (spec 3.4).
@Suite struct IntegrationCreateRequestTests {
    static let incoming =
        #"{"type":"webhook-incoming","name":"Incoming test","enabled":true,"alias":"test","username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general"}"#
    static let guggy =
        #"{"type":"webhook-outgoing","name":"Guggy","enabled":true,"alias":"guggy","username":"rocket.cat","urls":["http://text2gif.guggy.com/guggify"],"scriptEnabled":false,"event":"sendMessage","channel":"\#u{23}general","triggerWords":["!guggy"],"avatar":"https://example.com/guggy.png","emoji":":ghost:"}"#

    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try IntegrationCreateRequest(body) }
    }

    /// `body` with `member` (`"key":value`) added before the closing brace.
    func adding(_ member: String, to body: String) -> String {
        String(body.dropLast()) + "," + member + "}"
    }

    @Test func anIncomingBodyIsAnIncomingIntegrationKeptAsSent() throws {
        let body = try json(Self.incoming)
        let request = try IntegrationCreateRequest(body)
        #expect(request.kind == .incoming)
        #expect(request.body == body)
    }

    @Test func theOutgoingExampleOfRocketChatsTestsIsAnOutgoingIntegration() throws {
        #expect(try IntegrationCreateRequest(json(Self.guggy)).kind == .outgoing)
    }

    @Test func everyDeclaredOptionalPropertyIsAccepted() throws {
        let incoming = adding(
            #""overrideDestinationChannelEnabled":true,"script":"","avatar":"a","emoji":":e:","scriptEngine":"isolated-vm""#,
            to: Self.incoming
        )
        #expect(try refusal(incoming) == nil)
        let outgoing = adding(
            #""targetRoom":"\#u{23}x","triggerWordAnywhere":true,"token":"t","script":"s","runOnEdits":false,"retryFailedCalls":true,"retryCount":3,"retryDelay":"powers-of-two","impersonateUser":false,"scriptEngine":"isolated-vm""#,
            to: Self.guggy
        )
        #expect(try refusal(outgoing) == nil)
    }

    @Test func anEmptyBodyMissesTypeInBothBranches() async throws {
        let error = try #require(try refusal("{}"))
        #expect(
            error
                == .invalidParams("must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf")
        )
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf [invalid-params]","errorType":"invalid-params"}"#
        )
    }

    @Test func eachBranchReportsItsFirstMissingProperty() throws {
        #expect(
            try refusal(#"{"type":"webhook-incoming"}"#)
                == .invalidParams(
                    "must have required property 'username'\n must have required property 'username'\n must match exactly one schema in oneOf"
                )
        )
        let withoutEvent = #"{"type":"webhook-outgoing","username":"u","channel":"\#u{23}c","scriptEnabled":false,"name":"n","enabled":true}"#
        // The incoming branch then fails on the type's pattern, the outgoing one on the missing event.
        #expect(
            try refusal(withoutEvent)
                == .invalidParams(
                    "must match pattern \"webhook-incoming\"\n must have required property 'event'\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func anUnknownPropertyIsRefusedByBothBranches() throws {
        #expect(
            try refusal(adding(#""extra":1"#, to: Self.incoming))
                == .invalidParams(
                    "must NOT have additional properties\n must have required property 'event'\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func anOutgoingPropertyIsUnknownToTheIncomingBranch() throws {
        #expect(
            try refusal(adding(#""event":"sendMessage""#, to: Self.incoming))
                == .invalidParams(
                    "must NOT have additional properties\n must match pattern \"webhook-outgoing\"\n must match exactly one schema in oneOf"
                )
        )
    }

    @Test func aWrongTypeOfValueIsNamed() throws {
        let notBoolean = Self.incoming.replacingOccurrences(of: #""enabled":true"#, with: #""enabled":"yes""#)
        #expect(
            try refusal(notBoolean)
                == .invalidParams("must be boolean\n must have required property 'event'\n must match exactly one schema in oneOf")
        )
        let notNumber = adding(#""retryCount":"3""#, to: Self.guggy)
        #expect(
            try refusal(notNumber)
                == .invalidParams("must NOT have additional properties\n must be number\n must match exactly one schema in oneOf")
        )
        let emptyURL = Self.guggy.replacingOccurrences(of: #"["http://text2gif.guggy.com/guggify"]"#, with: #"[""]"#)
        #expect(
            try refusal(emptyURL)
                == .invalidParams(
                    "must NOT have additional properties\n must NOT have fewer than 1 characters\n must match exactly one schema in oneOf"
                )
        )
        let numericType = Self.incoming.replacingOccurrences(of: #""webhook-incoming""#, with: "5")
        #expect(
            try refusal(numericType)
                == .invalidParams("must be string\n must have required property 'event'\n must match exactly one schema in oneOf")
        )
    }

    @Test func aTypeMatchingNeitherPatternIsASchemaError() throws {
        let body = Self.incoming.replacingOccurrences(of: "webhook-incoming", with: "invalid")
        #expect(
            try refusal(body)
                == .invalidParams(
                    "must match pattern \"webhook-incoming\"\n must have required property 'event'\n must match exactly one schema in oneOf"
                )
        )
    }

    /// Rows 3 of both end-to-end suites.
    @Test(arguments: ["webhook-outgoing-invalid", "webhook-incoming-invalid", "xwebhook-outgoing"])
    func aTypeOnlyMatchingThePatternIsAnInvalidIntegrationType(type: String) throws {
        let template = type.contains("outgoing") ? Self.guggy : Self.incoming
        let body =
            template
            .replacingOccurrences(of: #""webhook-outgoing""#, with: #""\#(type)""#)
            .replacingOccurrences(of: #""webhook-incoming""#, with: #""\#(type)""#)
        #expect(try refusal(body) == .failure("Invalid integration type."))
    }

    /// Rocket.Chat's schema declares every optional property `nullable: true`.
    @Test func aNullOptionalPropertyIsAcceptedAsAjvAcceptsIt() throws {
        let incoming = try refusal(adding(#""avatar":null"#, to: Self.incoming))
        let outgoing = try refusal(adding(#""token":null,"retryCount":null"#, to: Self.guggy))
        withKnownIssue("BodySchema has no `nullable`: a null optional property is refused with \"must be string\"") {
            #expect(incoming == nil)
            #expect(outgoing == nil)
        }
    }
}

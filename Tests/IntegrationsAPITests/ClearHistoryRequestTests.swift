import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `integrations.clearHistory` (spec 3.7): `{integrationId}` with `minLength: 1`, nothing else.
@Suite struct ClearHistoryRequestTests {
    @Test func theIntegrationIdIsRead() throws {
        #expect(try ClearHistoryRequest(json(#"{"integrationId":"x"}"#)).integrationId == "x")
    }

    @Test(arguments: [
        (#"{}"#, "must have required property 'integrationId'"),
        (#"{"integrationId":""}"#, "must NOT have fewer than 1 characters"),
        (#"{"integrationId":"x","extra":1}"#, "must NOT have additional properties"),
        (#"{"extra":1}"#, "must have required property 'integrationId'"),
        (#"{"integrationId":5}"#, "must be string"),
        (#"{"integrationId":null}"#, "must be string"),
    ])
    func aBadBodyIsInvalidParams(body: String, message: String) throws {
        let body = try json(body)
        #expect(thrownError { () throws(RocketChatError) in try ClearHistoryRequest(body) } == .invalidParams(message))
    }
}

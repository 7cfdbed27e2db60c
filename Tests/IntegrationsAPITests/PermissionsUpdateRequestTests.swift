import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `permissions.update`: `{"permissions": [{"_id", "roles"}]}` and nothing else.
@Suite struct PermissionsUpdateRequestTests {
    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try PermissionsUpdateRequest(body) }
    }

    @Test func theChangesAreWrittenAsTheStatementReadsThem() throws {
        let request = try PermissionsUpdateRequest(
            json(#"{"permissions":[{"roles":["admin","user"],"_id":"manage-own-outgoing-integrations"},{"_id":"x","roles":[]}]}"#)
        )
        #expect(request.changesJSON == #"[{"_id":"manage-own-outgoing-integrations","roles":["admin","user"]},{"_id":"x","roles":[]}]"#)
    }

    @Test func namesAreEscapedInTheChanges() throws {
        let request = try PermissionsUpdateRequest(json(#"{"permissions":[{"_id":"a\"b\\c","roles":["r\n"]}]}"#))
        #expect(request.changesJSON == #"[{"_id":"a\"b\\c","roles":["r\n"]}]"#)
    }

    @Test func anEmptyListChangesNothing() throws {
        #expect(try PermissionsUpdateRequest(json(#"{"permissions":[]}"#)).changesJSON == "[]")
    }

    @Test(arguments: [
        #"{}"#, #"{"permissions":"all"}"#, #"{"permissions":{}}"#, #"{"permissions":[],"extra":1}"#,
        #"{"permissions":[{"_id":"manage-outgoing-integrations"}]}"#, #"{"permissions":[{"roles":[]}]}"#,
        #"{"permissions":[{"_id":"p","roles":[],"extra":1}]}"#, #"{"permissions":[{"_id":1,"roles":[]}]}"#,
        #"{"permissions":[{"_id":"p","roles":"admin"}]}"#, #"{"permissions":[{"_id":"p","roles":["admin",1]}]}"#,
        #"{"permissions":[{"_id":"p","roles":["admin","admin"]}]}"#, #"{"permissions":["p"]}"#,
    ])
    func anythingElseIsInvalidBodyParams(body: String) async throws {
        let error = try #require(try refusal(body))
        #expect(try await error.renderedBody == #"{"success":false,"error":"Invalid body params","errorType":"error-invalid-body-params"}"#)
    }
}

import HTTPTypes
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// Reading a body as JSON, then as the JSON object an endpoint expects.
@Suite struct RequestBodyTests {
    func read(_ body: String) async throws -> JSONValue {
        try RequestBody.object(try await RequestBody.json(testRequest(.post, body: body), context: testContext()))
    }

    func refusal(_ body: String) async throws -> RocketChatError? {
        do {
            _ = try await read(body)
            return nil
        } catch let error as RocketChatError {
            return error
        }
    }

    @Test func aJSONObjectIsRead() async throws {
        #expect(try await read(#" {"user":"a","n":1.50} "#) == (try json(#"{"user":"a","n":1.50}"#)))
    }

    @Test func aBodyUpToTheLimitIsRead() async throws {
        let filler = String(repeating: "x", count: (1 << 20) - #"{"a":""}"#.utf8.count)
        #expect(try await read(#"{"a":"\#(filler)"}"#)["a"]?.stringValue?.count == filler.count)
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let filler = String(repeating: "x", count: 1 << 20)
        #expect(try await refusal(#"{"a":"\#(filler)"}"#) == .bodyTooLarge(limit: 1 << 20))
    }

    @Test(arguments: [("", 0), ("nope", 0), (#"{"a":1,}"#, 7), (#"{"a":1} x"#, 8)])
    func textThatIsNotJSONNamesTheByte(body: String, offset: Int) async throws {
        #expect(try await refusal(body) == .invalidBody("The request body is not valid JSON: invalid JSON at byte \(offset)"))
    }

    @Test func aNulCharacterIsRefusedWithAClearMessage() async throws {
        let error = try #require(try await refusal(#"{"name":"Gu\u0000ggy"}"#))
        #expect(error.errorType == "error-invalid-body")
        #expect(error.error.contains("\\u0000"))
    }

    @Test(arguments: ["[]", "1", #""text""#, "null", "true"])
    func jsonThatIsNotAnObjectIsRefused(body: String) async throws {
        #expect(try await RequestBody.json(testRequest(.post, body: body), context: testContext()) == (try json(body)))
        #expect(try await refusal(body) == .invalidBody("The request body must be a JSON object"))
    }
}

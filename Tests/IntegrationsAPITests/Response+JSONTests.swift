import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import Testing

@testable import IntegrationsAPI

/// The headers of every JSON answer.
@Suite struct ResponseJSONTests {
    @Test func aJSONResponseCarriesRocketChatsHeaders() async throws {
        let body = #"{"success":true,"text":"héllo"}"#
        let response = Response.json(ByteBuffer(string: body))
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.headers[.contentLength] == String(body.utf8.count))
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.headers[.pragma] == "no-cache")
        #expect(response.headers.count == 4)
        #expect(try await response.bodyText() == body)
    }

    @Test func theStatusIsTheCallers() {
        #expect(Response.json(status: .notFound, ByteBuffer(string: "{}")).status == .notFound)
    }

    @Test func theContentLengthCountsBytes() {
        #expect(Response.json(ByteBuffer(string: #""🚀""#)).headers[.contentLength] == "6")
        #expect(Response.json(ByteBuffer()).headers[.contentLength] == "0")
    }

    @Test func errorsGetTheSameHeaders() {
        let response = RocketChatError.notLoggedIn.render()
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.headers[.pragma] == "no-cache")
    }
}

import HTTPTypes
import Hummingbird
import HummingbirdCore
import Testing

@testable import IntegrationsAPI

/// The credentials are read once, before any route.
@Suite struct CredentialsMiddlewareTests {
    func credentials(seenWith headers: HTTPFields) async throws -> CallerCredentials? {
        var seen: CallerCredentials?
        _ = try await CredentialsMiddleware().handle(testRequest(headers: headers), context: testContext()) { _, context in
            seen = context.credentials
            return Response(status: .ok)
        }
        return seen
    }

    @Test func theRouteSeesTheCallersCredentials() async throws {
        let credentials = try #require(try await credentials(seenWith: [.xUserId: "u", .xAuthToken: "t"]))
        #expect(credentials.userId == "u")
    }

    @Test func aRequestWithoutBothHeadersHasNone() async throws {
        #expect(try await credentials(seenWith: [.xUserId: "u"]) == nil)
    }
}

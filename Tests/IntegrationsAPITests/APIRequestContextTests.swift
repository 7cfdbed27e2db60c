import HTTPTypes
import Testing

@testable import IntegrationsAPI

/// What every route reads from its context.
@Suite struct APIRequestContextTests {
    @Test func withoutCredentialsAnAuthenticatedRouteIs401() throws {
        let context = try testContext()
        #expect(thrownError { () throws(RocketChatError) in try context.requireCredentials() } == .notLoggedIn)
    }

    @Test func theCredentialsAreTheRequests() throws {
        var context = try testContext()
        context.credentials = CallerCredentials(testRequest(headers: [.xUserId: "u", .xAuthToken: "t"]))
        #expect(try context.requireCredentials().userId == "u")
    }

    @Test func bodiesAreLimitedToOneMebibyte() throws {
        #expect(try testContext().maxUploadSize == 1_048_576)
    }

    @Test func theClientIsThePeerUnlessATrustedProxyForwarded() throws {
        let forwarded: HTTPFields = [RequestLogMiddleware.forwardedFor: "6.6.6.6, 198.51.100.7", RequestLogMiddleware.realIP: "5.5.5.5"]
        #expect(try testContext(peer: "127.0.0.1").clientAddress(of: testRequest(headers: forwarded)) == "198.51.100.7")
        #expect(try testContext(peer: "203.0.113.9").clientAddress(of: testRequest(headers: forwarded)) == "203.0.113.9")
        #expect(try testContext(peer: "127.0.0.1").clientAddress(of: testRequest(headers: [RequestLogMiddleware.realIP: "5.5.5.5"])) == "5.5.5.5")
        #expect(try testContext(peer: "127.0.0.1").clientAddress(of: testRequest()) == "127.0.0.1")
        #expect(try testContext().clientAddress(of: testRequest(headers: forwarded)) == nil)
    }

    @Test func theTrustedProxiesAreTheContexts() throws {
        var context = try testContext(peer: "10.1.2.3")
        let forwarded: HTTPFields = [RequestLogMiddleware.forwardedFor: "198.51.100.7"]
        #expect(context.clientAddress(of: testRequest(headers: forwarded)) == "10.1.2.3")
        context.trustedProxies = try TrustedProxies.parse("10.0.0.0/8").get()
        #expect(context.clientAddress(of: testRequest(headers: forwarded)) == "198.51.100.7")
    }
}

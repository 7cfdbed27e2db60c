import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import Testing

@testable import IntegrationsAPI

/// The outermost middleware: the request id, and one access-log line without secrets.
@Suite struct RequestLogMiddlewareTests {
    let log = LogRecord()

    func run(
        _ request: Request,
        peer: String? = "127.0.0.1",
        answer: @escaping @Sendable (Request, APIRequestContext) async throws -> Response = { _, _ in Response(status: .ok) }
    ) async throws -> Response {
        try await RequestLogMiddleware(trustedProxies: .loopback).handle(request, context: testContext(peer: peer, logger: log.logger), next: answer)
    }

    @Test func anAcceptableRequestIdIsEchoedAndTagsTheLog() async throws {
        let response = try await run(testRequest(headers: [RequestID.headerName: "abc-123"]))
        #expect(response.headers[RequestID.headerName] == "abc-123")
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.metadata["request_id"] == "abc-123")
    }

    @Test func otherwiseAnIdIsMadeAndEchoed() async throws {
        let response = try await run(testRequest(headers: [RequestID.headerName: "a b"]))
        let id = try #require(response.headers[RequestID.headerName])
        #expect(RequestIDTests.isGenerated(id))
        #expect(log.lines.first?.metadata["request_id"] == id)
    }

    @Test func theRouteSeesTheIdAndTheTrustedProxies() async throws {
        _ = try await run(testRequest(headers: [RequestID.headerName: "given", RequestLogMiddleware.forwardedFor: "198.51.100.7"])) {
            request,
            context in
            #expect(context.requestID == "given")
            #expect(context.clientAddress(of: request) == "198.51.100.7")
            return Response(status: .ok)
        }
    }

    @Test func theAccessLineNamesMethodRouteStatusClientAndUserButNoToken() async throws {
        let headers: HTTPFields = [.xUserId: "aobEdbYhXfu5hkeqG", .xAuthToken: "secret-token", RequestLogMiddleware.forwardedFor: "198.51.100.7"]
        _ = try await run(testRequest(.get, "/api/v1/integrations.get?integrationId=secret-id", headers: headers)) { _, _ in
            Response(status: .badRequest)
        }
        let line = try #require(log.lines.first)
        #expect(line.level == .info)
        #expect(line.message == "request")
        #expect(line.metadata["method"] == "GET")
        #expect(line.metadata["route"] == "/api/v1/integrations.get")
        #expect(line.metadata["status"] == "400")
        #expect(line.metadata["client"] == "198.51.100.7")
        #expect(line.metadata["user_id"] == "aobEdbYhXfu5hkeqG")
        let duration = try #require(line.metadata["duration_ms"])
        #expect(duration.split(separator: ".").count == 2 && duration.split(separator: ".")[1].count == 3)
        for value in line.metadata.values {
            #expect(!value.contains("secret-token"))
            #expect(!value.contains("secret-id"))
        }
    }

    @Test func anOverlongUserIdIsNotLogged() async throws {
        _ = try await run(testRequest(headers: [.xUserId: String(repeating: "u", count: CallerCredentials.maximumLength + 1)]))
        #expect(log.lines.first?.metadata["user_id"] == nil)
    }

    @Test func aRequestWithoutAPeerIsLoggedWithADash() async throws {
        _ = try await run(testRequest(), peer: nil)
        #expect(log.lines.first?.metadata["client"] == "-")
    }

    struct Failure: Error {}

    @Test func aThrownErrorIsLoggedAs500AndRethrown() async throws {
        await #expect(throws: Failure.self) {
            _ = try await run(testRequest()) { _, _ in throw Failure() }
        }
        #expect(log.lines.first?.metadata["status"] == "500")
    }

    @Test func belowInfoNothingIsLogged() async throws {
        var logger = log.logger
        logger.logLevel = .notice
        _ = try await RequestLogMiddleware(trustedProxies: .loopback).handle(testRequest(), context: testContext(logger: logger)) { _, _ in
            Response(status: .ok)
        }
        #expect(log.lines.isEmpty)
    }
}

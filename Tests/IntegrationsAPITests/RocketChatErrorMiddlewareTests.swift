import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Testing

@testable import IntegrationsAPI
@testable import IntegrationsStore

/// Every error that reaches the edge gets Rocket.Chat's JSON shape; details go to the log only.
@Suite struct RocketChatErrorMiddlewareTests {
    let log = LogRecord()

    func answer(to error: any Error) async throws -> Response {
        try await RocketChatErrorMiddleware().handle(testRequest(), context: testContext(logger: log.logger)) { _, _ in throw error }
    }

    func expect(_ error: any Error, status: HTTPResponse.Status, body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await answer(to: error)
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(try await response.bodyText() == body, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
    }

    @Test func anAnswerPassesThrough() async throws {
        let response = try await RocketChatErrorMiddleware().handle(testRequest(), context: testContext()) { _, _ in Response(status: .accepted) }
        #expect(response.status == .accepted)
    }

    @Test func theAPIsOwnErrorsAreRenderedAsTheyAre() async throws {
        try await expect(
            RocketChatError.notLoggedIn,
            status: .unauthorized,
            body: #"{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}"#
        )
        #expect(log.lines.isEmpty)
    }

    @Test func anUnknownRouteOrMethodIsRocketChatsNotFound() async throws {
        try await expect(HTTPError(.notFound), status: .notFound, body: #"{"success":false,"error":"Resource not found"}"#)
        try await expect(HTTPError(.methodNotAllowed), status: .notFound, body: #"{"success":false,"error":"Resource not found"}"#)
    }

    @Test func hummingbirdsBodyLimitIsThe413OfTheAPI() async throws {
        try await expect(
            HTTPError(.contentTooLarge),
            status: .contentTooLarge,
            body: #"{"success":false,"error":"The request body is larger than 1048576 bytes","errorType":"error-body-too-large"}"#
        )
    }

    @Test func otherHTTPErrorsKeepTheirStatusAndMessage() async throws {
        try await expect(HTTPError(.badRequest, message: "bad \"thing\""), status: .badRequest, body: #"{"success":false,"error":"bad \"thing\""}"#)
        try await expect(HTTPError(.badRequest), status: .badRequest, body: #"{"success":false,"error":"Bad Request"}"#)
    }

    @Test func anUnreachableDatabaseIsA503LoggedAsAWarning() async throws {
        try await expect(
            StoreError(kind: .unavailable, message: "connection refused"),
            status: .serviceUnavailable,
            body: #"{"success":false,"error":"Service Unavailable","errorType":"error-database-unavailable"}"#
        )
        #expect(log.lines.map(\.level) == [.warning])
        #expect(log.lines.first?.metadata["error"]?.contains("connection refused") == true)
    }

    @Test func aUniqueConstraintIsA400LoggedAsANotice() async throws {
        try await expect(
            StoreError(kind: .conflict, message: "duplicate key", sqlState: "23505"),
            status: .badRequest,
            body:
                #"{"success":false,"error":"A record with the same unique value was written at the same time [error-duplicate-value]","errorType":"error-duplicate-value"}"#
        )
        #expect(log.lines.map(\.level) == [.notice])
        #expect(log.lines.first?.metadata["error"] == "conflict [23505]: duplicate key")
    }

    @Test func aValuePostgreSQLRefusesIsA400LoggedAsANotice() async throws {
        try await expect(
            StoreError(kind: .invalidDocument, message: "numeric field overflow", sqlState: "22003"),
            status: .badRequest,
            body:
                #"{"success":false,"error":"The request holds a value that cannot be stored [error-invalid-value]","errorType":"error-invalid-value"}"#
        )
        #expect(log.lines.map(\.level) == [.notice])
    }

    @Test func aFailedStatementIsA500WhoseDetailsStayInTheLog() async throws {
        try await expect(
            StoreError(kind: .failed, message: "relation \"x\" does not exist"),
            status: .internalServerError,
            body: #"{"success":false,"error":"Internal server error"}"#
        )
        #expect(log.lines.map(\.level) == [.error])
        #expect(log.lines.first?.metadata["error"]?.contains("relation") == true)
    }

    struct Surprise: Error {
        let secret = "s3cr3t"
    }

    @Test func anyOtherErrorIsALogged500WithoutDetails() async throws {
        let response = try await answer(to: Surprise())
        #expect(response.status == .internalServerError)
        let body = try await response.bodyText()
        #expect(body == #"{"success":false,"error":"Internal server error"}"#)
        #expect(log.lines.map(\.level) == [.error])
        #expect(log.lines.first?.metadata["error"]?.contains("s3cr3t") == true)
    }

    @Test func anUnexpectedRefusalIsA500() async throws {
        try await expect(
            UnexpectedRefusal(refusal: .notMember),
            status: .internalServerError,
            body: #"{"success":false,"error":"Internal server error"}"#
        )
        #expect(log.lines.first?.metadata["error"]?.contains("not-member") == true)
    }
}

import HTTPTypes
import HummingbirdCore
import IntegrationsCore
import IntegrationsStore
import Testing

@testable import IntegrationsAPI

/// Every failure a client sees, byte for byte: Rocket.Chat's keys in Rocket.Chat's order.
@Suite struct RocketChatErrorTests {
    func expect(_ error: RocketChatError, status: HTTPResponse.Status, body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = error.render()
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(try await response.bodyText() == body, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        #expect(response.headers[.contentLength] == String(body.utf8.count), sourceLocation: sourceLocation)
    }

    @Test func aFailureIsA400WithTheMessageOnly() async throws {
        try await expect(
            .failure("The integration does not exists."),
            status: .badRequest,
            body: #"{"success":false,"error":"The integration does not exists."}"#
        )
    }

    @Test func aFailureWithAnErrorTypeNamesItAfterTheMessage() async throws {
        try await expect(
            .failure("Invalid body params", errorType: "error-invalid-body-params"),
            status: .badRequest,
            body: #"{"success":false,"error":"Invalid body params","errorType":"error-invalid-body-params"}"#
        )
    }

    @Test func invalidParamsIsValidateParamsAnswer() async throws {
        try await expect(
            .invalidParams("must have required property 'integrationId'"),
            status: .badRequest,
            body: #"{"success":false,"error":"must have required property 'integrationId' [invalid-params]","errorType":"invalid-params"}"#
        )
    }

    @Test func notLoggedInKeepsTheCompatibilityKeysAfterSuccessAndError() async throws {
        try await expect(
            .notLoggedIn,
            status: .unauthorized,
            body: #"{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}"#
        )
    }

    @Test func aMeteorErrorIsReasonAndCodeWithItsDetails() async throws {
        try await expect(
            .meteor("not_authorized", reason: "Unauthorized", method: "addIncomingIntegration"),
            status: .badRequest,
            body:
                #"{"success":false,"error":"Unauthorized [not_authorized]","errorType":"not_authorized","details":{"method":"addIncomingIntegration"}}"#
        )
        try await expect(
            .meteor(MeteorError("error-invalid-urls", "Invalid URLs", function: "validateOutgoing._verifyRequiredFields")),
            status: .badRequest,
            body:
                #"{"success":false,"error":"Invalid URLs [error-invalid-urls]","errorType":"error-invalid-urls","details":{"function":"validateOutgoing._verifyRequiredFields"}}"#
        )
    }

    @Test func aMeteorErrorWithoutAReasonIsTheBracketedCode() async throws {
        try await expect(
            .meteor(MeteorError("not_authorized")),
            status: .badRequest,
            body: #"{"success":false,"error":"[not_authorized]","errorType":"not_authorized"}"#
        )
    }

    @Test func aMeteorErrorWithoutDetailsHasNoDetailsKey() async throws {
        try await expect(
            .meteor(MeteorError("error-invalid-token", reason: "Invalid token")),
            status: .badRequest,
            body: #"{"success":false,"error":"Invalid token [error-invalid-token]","errorType":"error-invalid-token"}"#
        )
    }

    @Test func meteorDetailsKeepTheirOrderAndAreEscaped() async throws {
        try await expect(
            .meteor(
                MeteorError(
                    "error-invalid-room-name",
                    #"a "b" is not a valid room name"#,
                    details: [("function", "RocketChat.createRoom"), ("room_name", #"a "b""#)]
                )
            ),
            status: .badRequest,
            body:
                #"{"success":false,"error":"a \"b\" is not a valid room name [error-invalid-room-name]","errorType":"error-invalid-room-name","details":{"function":"RocketChat.createRoom","room_name":"a \"b\""}}"#
        )
    }

    @Test func permissionRequiredIsThe7xGateAnswer() async throws {
        try await expect(
            .permissionRequired,
            status: .forbidden,
            body: #"{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}"#
        )
    }

    @Test func aBlockedLoginIsValidateLoginAttemptsError() async throws {
        try await expect(
            .loginBlocked(.ip),
            status: .unauthorized,
            body:
                #"{"success":false,"error":"error-login-blocked-for-ip","status":"error","message":"Login has been temporarily blocked For IP","details":{"function":"Accounts.validateLoginAttempt"}}"#
        )
        try await expect(
            .loginBlocked(.user),
            status: .unauthorized,
            body:
                #"{"success":false,"error":"error-login-blocked-for-user","status":"error","message":"Login has been temporarily blocked For User","details":{"function":"Accounts.validateLoginAttempt"}}"#
        )
    }

    @Test func notFoundIsTheUnknownRouteAnswer() async throws {
        try await expect(.notFound, status: .notFound, body: #"{"success":false,"error":"Resource not found"}"#)
    }

    @Test func databaseUnavailableIsA503() async throws {
        try await expect(
            .databaseUnavailable,
            status: .serviceUnavailable,
            body: #"{"success":false,"error":"Service Unavailable","errorType":"error-database-unavailable"}"#
        )
    }

    @Test func aConflictingWriteIsA400() async throws {
        try await expect(
            .conflictingWrite,
            status: .badRequest,
            body:
                #"{"success":false,"error":"A record with the same unique value was written at the same time [error-duplicate-value]","errorType":"error-duplicate-value"}"#
        )
    }

    @Test func anUnstorableValueIsA400() async throws {
        try await expect(
            .unstorableValue,
            status: .badRequest,
            body:
                #"{"success":false,"error":"The request holds a value that cannot be stored [error-invalid-value]","errorType":"error-invalid-value"}"#
        )
    }

    @Test func anInternalErrorSaysNothingMore() async throws {
        try await expect(.internalError, status: .internalServerError, body: #"{"success":false,"error":"Internal server error"}"#)
    }

    @Test func aBodyTooLargeIsA413NamingTheLimit() async throws {
        try await expect(
            .bodyTooLarge(limit: 1_048_576),
            status: .contentTooLarge,
            body: #"{"success":false,"error":"The request body is larger than 1048576 bytes","errorType":"error-body-too-large"}"#
        )
    }

    @Test func anInvalidBodyIsA400() async throws {
        try await expect(
            .invalidBody("The request body must be a JSON object"),
            status: .badRequest,
            body: #"{"success":false,"error":"The request body must be a JSON object","errorType":"error-invalid-body"}"#
        )
    }

    @Test func messagesAreEscapedAsJSONStrings() async throws {
        try await expect(
            .failure("line\nbreak \"quoted\" back\\slash \u{1}"),
            status: .badRequest,
            body: #"{"success":false,"error":"line\nbreak \"quoted\" back\\slash \u0001"}"#
        )
    }

    /// Equal errors render the same answer: status, error, errorType and the extra keys.
    @Test func equalityIsOnEverythingRendered() {
        #expect(RocketChatError.failure("x") == .failure("x"))
        #expect(RocketChatError.failure("x") != .failure("x", errorType: "t"))
        #expect(RocketChatError.failure("x") != RocketChatError(status: .forbidden, error: "x"))
        #expect(RocketChatError.meteor(MeteorError("e", "r", method: "a")) == .meteor(MeteorError("e", "r", method: "a")))
        #expect(RocketChatError.meteor(MeteorError("e", "r", method: "a")) != .meteor(MeteorError("e", "r", method: "b")))
    }
}

import HTTPTypes
import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore

/// The one error type of the HTTP edge: every failure a client sees is rendered from it, in Rocket.Chat's
/// JSON shapes (`API.v1.failure`, `unauthorized`, `forbidden`, `notFound`, `unavailable` of the 7.x/8.x generation).
public struct RocketChatError: Error, HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    /// The `error` text, byte-exact with Rocket.Chat.
    public let error: String
    /// Rocket.Chat's `errorType`, when it sends one.
    public let errorType: String?
    /// Extra keys of the body in order (for example `status`/`message` of the 401 body), as raw JSON values.
    let extraFields: [(key: String, json: String)]

    init(status: HTTPResponse.Status, error: String, errorType: String? = nil, extraFields: [(key: String, json: String)] = []) {
        self.status = status
        self.error = error
        self.errorType = errorType
        self.extraFields = extraFields
    }

    /// Equal when they render the same answer.
    public static func == (lhs: RocketChatError, rhs: RocketChatError) -> Bool {
        lhs.status == rhs.status && lhs.error == rhs.error && lhs.errorType == rhs.errorType
            && lhs.extraFields.elementsEqual(rhs.extraFields) { $0.key == $1.key && $0.json == $1.json }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        render()
    }

    /// The response: the status and Rocket.Chat's JSON body.
    func render() -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("success", raw: "false")
        writer.field("error", string: error)
        if let errorType { writer.field("errorType", string: errorType) }
        for field in extraFields { writer.field(field.key, raw: field.json) }
        writer.endObject()
        return Response.json(status: status, writer.buffer)
    }
}

extension RocketChatError {
    /// `API.v1.failure(message)`: 400 with a plain message and no `errorType`.
    static func failure(_ message: String) -> RocketChatError {
        RocketChatError(status: .badRequest, error: message)
    }

    /// `API.v1.failure(message, errorType)`: 400 with a message and an `errorType`.
    static func failure(_ message: String, errorType: String) -> RocketChatError {
        RocketChatError(status: .badRequest, error: message, errorType: errorType)
    }

    /// A failed parameter validation, as Rocket.Chat's `validateParams` reports it:
    /// `"<ajv message> [invalid-params]"` with `errorType: "invalid-params"`.
    static func invalidParams(_ message: String) -> RocketChatError {
        RocketChatError(status: .badRequest, error: "\(message) [invalid-params]", errorType: "invalid-params")
    }

    /// 401 for a missing or unknown `X-User-Id` / `X-Auth-Token` pair (the 7.x/8.x body, with the
    /// compatibility keys `status` and `message`).
    static let notLoggedIn = RocketChatError(
        status: .unauthorized,
        error: "You must be logged in to do this.",
        extraFields: [("status", "\"error\""), ("message", "\"You must be logged in to do this.\"")]
    )

    /// A `Meteor.Error(error, reason, details)` thrown by a Rocket.Chat method, as the REST layer renders it:
    /// 400, `"<reason> [<error>]"`, `errorType` = error, `details` = `{"method": …}` or `{"function": …}`.
    static func meteor(_ meteorError: MeteorError) -> RocketChatError {
        var details: [(key: String, json: String)] = []
        if !meteorError.details.isEmpty {
            details.append(("details", JSONValue.object(meteorError.details.map { ($0.key, .string($0.value)) }).text))
        }
        return RocketChatError(
            status: .badRequest,
            error: meteorError.reason.map { "\($0) [\(meteorError.error)]" } ?? "[\(meteorError.error)]",
            errorType: meteorError.error,
            extraFields: details
        )
    }

    static func meteor(_ error: String, reason: String, method: String) -> RocketChatError {
        meteor(MeteorError(error, reason, method: method))
    }

    /// 403 of a route whose permission gate the caller does not pass (`permissionsRequired`, 7.x/8.x).
    static let permissionRequired = RocketChatError(
        status: .forbidden,
        error: "User does not have the permissions required for this action [error-unauthorized]"
    )

    /// 401 for a login refused by the failed-login blocks (Rocket.Chat's `Accounts.validateLoginAttempt`).
    static func loginBlocked(_ blocked: LoginFailureRepository.Blocked) -> RocketChatError {
        let (code, reason) =
            switch blocked {
            case .ip: ("error-login-blocked-for-ip", "Login has been temporarily blocked For IP")
            case .user: ("error-login-blocked-for-user", "Login has been temporarily blocked For User")
            }
        return RocketChatError(
            status: .unauthorized,
            error: code,
            extraFields: [
                ("status", #""error""#), ("message", #""\#(reason)""#),
                ("details", #"{"function":"Accounts.validateLoginAttempt"}"#),
            ]
        )
    }

    /// 404 for a route that does not exist (`API.v1.notFound()`).
    static let notFound = RocketChatError(status: .notFound, error: "Resource not found")

    /// 503 when the database cannot be reached within the pool's acquire timeout (`API.v1.unavailable()`).
    static let databaseUnavailable = RocketChatError(
        status: .serviceUnavailable,
        error: "Service Unavailable",
        errorType: "error-database-unavailable"
    )

    /// 400 for a write a unique constraint refused after the route's own checks had passed: a concurrent
    /// request wrote the same unique value first (Rocket.Chat answers MongoDB's duplicate-key error as a 400 too).
    static let conflictingWrite = RocketChatError(
        status: .badRequest,
        error: "A record with the same unique value was written at the same time [error-duplicate-value]",
        errorType: "error-duplicate-value"
    )

    /// 400 for a value of the request that PostgreSQL cannot store (a number beyond its numeric range, text it
    /// cannot represent); the log says which.
    static let unstorableValue = RocketChatError(
        status: .badRequest,
        error: "The request holds a value that cannot be stored [error-invalid-value]",
        errorType: "error-invalid-value"
    )

    /// 500 for anything unexpected; details go to the log, never to the client.
    static let internalError = RocketChatError(status: .internalServerError, error: "Internal server error")

    /// 413 for a request body over the limit.
    static func bodyTooLarge(limit: Int) -> RocketChatError {
        RocketChatError(status: .contentTooLarge, error: "The request body is larger than \(limit) bytes", errorType: "error-body-too-large")
    }

    /// 400 for a body that is not the JSON object the endpoint expects.
    static func invalidBody(_ message: String) -> RocketChatError {
        RocketChatError(status: .badRequest, error: message, errorType: "error-invalid-body")
    }
}

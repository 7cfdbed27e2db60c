/// An error as a Rocket.Chat server method throws it (`new Meteor.Error(error, reason, details)`); the REST
/// layer answers it as 400 `{"error": "<reason> [<error>]", "errorType": error, "details": {…}}`.
public struct MeteorError: Error, Sendable, Equatable {
    /// The error code (`error-invalid-channel`, `not_authorized`).
    public let error: String
    /// The human text, when the method gives one.
    public let reason: String?
    /// The details object's members (`method` or `function`, naming where the error was thrown, and any more).
    public let details: [(key: String, value: String)]

    public init(_ error: String, _ reason: String? = nil, method: String) {
        self.error = error
        self.reason = reason
        self.details = [("method", method)]
    }

    public init(_ error: String, _ reason: String? = nil, function: String) {
        self.error = error
        self.reason = reason
        self.details = [("function", function)]
    }

    /// An error with a reason and no details.
    public init(_ error: String, reason: String) {
        self.error = error
        self.reason = reason
        self.details = []
    }

    /// An error without details (`new Meteor.Error('not_authorized')`).
    public init(_ error: String) {
        self.error = error
        self.reason = nil
        self.details = []
    }

    /// An error with several details members, in order.
    public init(_ error: String, _ reason: String, details: [(key: String, value: String)]) {
        self.error = error
        self.reason = reason
        self.details = details
    }

    public static func == (lhs: MeteorError, rhs: MeteorError) -> Bool {
        lhs.error == rhs.error && lhs.reason == rhs.reason && lhs.details.map(\.key) == rhs.details.map(\.key)
            && lhs.details.map(\.value) == rhs.details.map(\.value)
    }
}

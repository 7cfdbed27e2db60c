/// An error a Rocket.Chat message function throws as a plain JavaScript `Error`, or as Meteor's `Match.Error` of a
/// failed `check()`: neither has an error code, so the REST layer answers `400 {"success": false, "error": message}`
/// without `errorType`.
public struct MessageError: Error, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

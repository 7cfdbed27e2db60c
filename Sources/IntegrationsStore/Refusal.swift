/// Why the store did not do what a request asked, decided in the same statement that would have done it.
///
/// Statements write these names into their first column (through ``literal``, so the SQL and the Swift cannot
/// disagree on a spelling); ``Verdict`` decodes them once.
public enum Refusal: String, Sendable, CaseIterable {
    /// No active user has this id and token.
    case unauthenticated
    /// The caller lacks the permission the operation requires.
    case forbidden
    /// The record the request names does not exist (or is not visible to the caller).
    case notFound = "not-found"
    /// The caller holds neither permission for this kind of integration.
    case notAuthorized = "not-authorized"
    /// The caller may manage only its own integrations, and this one is not.
    case invalidIntegration = "invalid-integration"
    /// Another room already has this name.
    case duplicateName = "duplicate-name"
    /// The caller is not a member of the room.
    case notMember = "not-member"
    /// A permission the request names does not exist (or is named twice).
    case unknownPermission = "unknown-permission"
    /// A role the request names does not exist.
    case unknownRole = "unknown-role"
    /// The room is archived already.
    case archived
    /// The history record the request names does not exist for this integration.
    case invalidHistory = "invalid-history"
    /// The integration is not an outgoing webhook.
    case notOutgoing = "not-outgoing"
    /// The history record has no payload to replay.
    case historyWithoutData = "history-without-data"

    /// The refusal as an SQL string literal, for the statements' `CASE … THEN` arms.
    var literal: String { "'\(rawValue)'" }
}

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
    /// The room to archive is archived already.
    case alreadyArchived = "already-archived"
    /// The history record the request names does not exist for this integration.
    case invalidHistory = "invalid-history"
    /// The integration is not an outgoing webhook.
    case notOutgoing = "not-outgoing"
    /// The history record has no payload to replay.
    case historyWithoutData = "history-without-data"
    /// The message's text (or an attachment's) is longer than `Message_MaxAllowedSize`.
    case messageTooLong = "message-too-long"
    /// The request names no destination at all (an empty `channel` or `roomId` array).
    case noDestination = "no-destination"
    /// No room (or user, for a direct message) matches the destination.
    case invalidChannel = "invalid-channel"
    /// A direct message to oneself while `Message_AllowDirectMessagesToYourself` is off.
    case invalidUser = "invalid-user"
    /// The direct message would have to be created, and the caller lacks `create-d`.
    case directMessageNotAllowed = "direct-message-not-allowed"
    /// The caller may not join the public room it posts to.
    case joinNotAllowed = "join-not-allowed"
    /// The room is archived.
    case roomArchived = "room-archived"
    /// The caller may not access the room.
    case notAllowed = "not-allowed"
    /// The room is read-only and the caller lacks `post-readonly`.
    case roomReadOnly = "room-read-only"
    /// The message sets an alias or an avatar and the caller lacks `message-impersonate`.
    case impersonationNotAllowed = "impersonation-not-allowed"
    /// The message's content fails a check the request type made (its error is the request's to give).
    case invalidMessage = "invalid-message"
    /// The message is not in the room the request names.
    case roomMismatch = "room-mismatch"
    /// The caller may not edit the message (`edit-message`, or its own with `Message_AllowEditing`).
    case editNotAllowed = "edit-not-allowed"
    /// The message is older than `Message_AllowEditing_BlockEditInMinutes`.
    case editBlocked = "edit-blocked"
    /// The edit would leave the message without text or attachments.
    case emptyMessage = "empty-message"

    /// The refusal as an SQL string literal, for the statements' `CASE … THEN` arms.
    var literal: String { "'\(rawValue)'" }
}

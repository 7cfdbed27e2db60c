import IntegrationsCore

/// The query of `permissions.listAll`: an optional `updatedSince`, read as Rocket.Chat reads it
/// (`if (updatedSince)`, then `Date.parse`; see ``JavaScriptDate``): an empty one is ignored, one that is not a
/// date is refused with Rocket.Chat's message (and its misnamed error type).
struct PermissionsListAllQuery: Equatable {
    /// The instant, as Rocket.Chat's date text (`2024-01-10T12:12:52.201Z`), for the store's `timestamptz`.
    let updatedSince: String?

    init(_ query: String?) throws(RocketChatError) {
        let parameters = try QueryParameters.parse(query)
        guard let raw = parameters.all("updatedSince").first, !raw.isEmpty else {
            updatedSince = nil
            return
        }
        guard let milliseconds = JavaScriptDate.parse(raw) else {
            throw .failure(
                "The \"updatedSince\" query parameter must be a valid date. [error-roomId-param-invalid]",
                errorType: "error-roomId-param-invalid"
            )
        }
        updatedSince = RocketChatDate.string(millisecondsSince1970: milliseconds)
    }
}

import IntegrationsCore

/// The query of `permissions.listAll`: an optional `updatedSince`, read as Rocket.Chat reads it
/// (`if (updatedSince)`, then `Date.parse`; see ``JavaScriptDate``): an empty one is ignored; one that is not a
/// date, or a repeated one (an array, which `Date.parse` reads as `NaN`), is refused with Rocket.Chat's message
/// (and its misnamed error type).
struct PermissionsListAllQuery: Equatable {
    /// The instant for the store's `timestamptz`: Rocket.Chat's date text (`2024-01-10T12:12:52.201Z`) for years
    /// 1 to 9999, `-infinity` or `infinity` beyond them (JavaScript's dates reach further than that text and
    /// than PostgreSQL's input of it; nothing is updated before year 1 or after year 9999).
    let updatedSince: String?

    static let earliestText: Int64 = -62_135_596_800_000  // 0001-01-01T00:00:00.000Z
    static let latestText: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z

    init(_ query: String?) throws(RocketChatError) {
        let parameters = try QueryParameters.parse(query)
        let values = parameters.all("updatedSince")
        guard let raw = values.first, values.count > 1 || !raw.isEmpty else {
            updatedSince = nil
            return
        }
        guard values.count == 1, let milliseconds = JavaScriptDate.parse(raw) else {
            throw .failure(
                "The \"updatedSince\" query parameter must be a valid date. [error-roomId-param-invalid]",
                errorType: "error-roomId-param-invalid"
            )
        }
        updatedSince =
            milliseconds < Self.earliestText
            ? "-infinity" : milliseconds > Self.latestText ? "infinity" : RocketChatDate.string(millisecondsSince1970: milliseconds)
    }
}

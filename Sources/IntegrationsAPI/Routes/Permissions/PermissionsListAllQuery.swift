import Foundation

/// The query of `permissions.listAll`: an optional `updatedSince`, an ISO 8601 date (with or without
/// fractional seconds), refused with Rocket.Chat's message (and its misnamed error type) otherwise.
struct PermissionsListAllQuery: Equatable {
    let updatedSince: String?

    init(_ query: String?) throws(RocketChatError) {
        let parameters = try QueryParameters.parse(query)
        guard let raw = parameters.all("updatedSince").first else {
            updatedSince = nil
            return
        }
        guard (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(raw)) != nil
            || (try? Date.ISO8601FormatStyle().parse(raw)) != nil
        else {
            throw .failure(
                "The \"updatedSince\" query parameter must be a valid date. [error-roomId-param-invalid]",
                errorType: "error-roomId-param-invalid"
            )
        }
        updatedSince = raw
    }
}

import IntegrationsCore

/// The query of `integrations.history`: the integration `id` (required, not empty, not blank) and Rocket.Chat's
/// paging and sort.
struct IntegrationHistoryQuery {
    let integrationId: String
    let page: PageRequest
    let sort: [SortKey]

    init(_ query: String?) throws(RocketChatError) {
        let listing = try ListQuery(query, allowed: ["id"], sortFields: SortKey.historyFields)
        guard let id = try ListQuery.single("id", in: listing.parameters) else {
            throw .invalidParams("must have required property 'id'")
        }
        // Rocket.Chat's schema declares `minLength: 1`; its handler then refuses a blank id.
        guard !id.isEmpty else { throw .invalidParams("must NOT have fewer than 1 characters") }
        guard !id.trimmed.isEmpty else { throw .failure("Invalid integration id.") }
        integrationId = id
        page = listing.page
        sort = listing.sort
    }
}

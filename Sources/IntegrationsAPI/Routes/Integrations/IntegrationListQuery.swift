import IntegrationsCore

/// The query of `integrations.list`: Rocket.Chat's paging and sort, a `name` substring and a `type`
/// (empty ones ignored, as Rocket.Chat ignores falsy filters).
struct IntegrationListQuery {
    let page: PageRequest
    let sort: [SortKey]
    let nameContains: String?
    let type: String?

    init(_ query: String?) throws(RocketChatError) {
        let listing = try ListQuery(query, allowed: ["name", "type"], sortFields: SortKey.integrationFields)
        page = listing.page
        sort = listing.sort
        let name = try ListQuery.single("name", in: listing.parameters)
        let type = try ListQuery.single("type", in: listing.parameters)
        nameContains = name?.isEmpty == false ? name : nil
        self.type = type?.isEmpty == false ? type : nil
    }
}

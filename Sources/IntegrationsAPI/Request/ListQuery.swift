import IntegrationsCore

/// The query of a paged Rocket.Chat listing: `offset`, `count`, `sort`, plus the endpoint's own parameters,
/// validated as Rocket.Chat's schemas do (unknown parameters refused: `additionalProperties: false`).
struct ListQuery {
    let parameters: QueryParameters
    let page: PageRequest
    let sort: [SortKey]

    /// Longest value accepted for any parameter.
    static let maximumValueLength = 1024

    init(_ query: String?, allowed: Set<String>, sortFields: Set<String>) throws(RocketChatError) {
        parameters = try QueryParameters.parse(query)
        let known = allowed.union(["offset", "count", "sort", "query"])
        if parameters.keys.contains(where: { !known.contains($0) }) {
            throw .invalidParams("must NOT have additional properties")
        }
        let offset = try Self.nonNegativeInteger("offset", in: parameters) ?? 0
        let count = try Self.nonNegativeInteger("count", in: parameters)
        page = PageRequest(offset: offset, count: count)
        if let rawSort = try Self.single("sort", in: parameters) {
            do {
                sort = try SortKey.parse(rawSort, allowedFields: sortFields)
            } catch {
                throw .failure("Invalid sort parameter provided: \"\(rawSort)\" [error-invalid-sort]", errorType: "error-invalid-sort")
            }
        } else {
            sort = []
        }
    }

    /// The value of a parameter given at most once.
    static func single(_ name: String, in parameters: QueryParameters) throws(RocketChatError) -> String? {
        try parameters.single(name, maximumLength: maximumValueLength)
    }

    private static func nonNegativeInteger(_ name: String, in parameters: QueryParameters) throws(RocketChatError) -> Int? {
        guard let raw = try single(name, in: parameters) else { return nil }
        guard !raw.isEmpty, raw.utf8.count <= 9, raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(raw)
        else { throw .invalidParams("\(name) must be a non-negative integer") }
        return value
    }
}

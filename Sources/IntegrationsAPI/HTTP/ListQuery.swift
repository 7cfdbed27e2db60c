import HTTPTypes
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
        do {
            parameters = try QueryParameters(query)
        } catch {
            throw .invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)")
        }
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
                throw RocketChatError(
                    status: .badRequest,
                    error: "Invalid sort parameter provided: \"\(rawSort)\" [error-invalid-sort]",
                    errorType: "error-invalid-sort"
                )
            }
        } else {
            sort = []
        }
    }

    /// The value of a parameter given at most once.
    static func single(_ name: String, in parameters: QueryParameters) throws(RocketChatError) -> String? {
        let values = parameters.all(name)
        guard values.count <= 1 else { throw .invalidParams("\(name) must be string") }
        guard let value = values.first else { return nil }
        guard value.utf8.count <= maximumValueLength else {
            throw .invalidParams("\(name) must NOT have more than \(maximumValueLength) characters")
        }
        return value
    }

    private static func nonNegativeInteger(_ name: String, in parameters: QueryParameters) throws(RocketChatError) -> Int? {
        guard let raw = try single(name, in: parameters) else { return nil }
        guard !raw.isEmpty, raw.utf8.count <= 9, raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(raw)
        else { throw .invalidParams("\(name) must be a non-negative integer") }
        return value
    }
}

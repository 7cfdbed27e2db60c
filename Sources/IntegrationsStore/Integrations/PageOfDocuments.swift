import IntegrationsCore
import LibPQ

/// One page of stored documents, as JSON text read in place, with Rocket.Chat's counts (the columns of
/// ``SQLFragment/pageColumns`` after the verdict).
public struct PageOfDocuments: Sendable {
    let result: QueryResult

    /// How many documents match, across all pages.
    public var total: Int { result.int(row: 0, column: 1) ?? 0 }
    /// How many documents this page holds.
    public var count: Int { result.int(row: 0, column: 2) ?? 0 }

    /// Calls `body` with the page's JSON array bytes.
    public func withDocuments<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try result.withBytes(row: 0, column: 3, body)
    }
}

extension [SortKey] {
    /// The six sort parameters of a listing statement: three (path, direction) slots, unused ones NULL.
    var statementParameters: [String?] {
        (0..<3).flatMap { slot -> [String?] in
            guard slot < count else { return [nil, nil] }
            let key = self[slot]
            // A text[] literal; paths come from a whitelist of plain field names, so no quoting is needed.
            return ["{" + key.path.joined(separator: ",") + "}", key.ascending ? "1" : "-1"]
        }
    }
}

extension PageRequest {
    var statementParameters: [String?] { [String(offset), limit.map(String.init)] }
}

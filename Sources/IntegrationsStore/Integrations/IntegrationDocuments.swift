import LibPQ

/// The stored JSON text of an integration and of its newest history records, as `integrations.get` read them,
/// in place in libpq's result: written into the response without a copy or a decode.
public struct IntegrationDocuments: Sendable {
    let result: QueryResult

    /// Calls `body` with the integration document's JSON bytes.
    public func withIntegration<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try result.withBytes(row: 0, column: 1, body)
    }

    /// Calls `body` with the JSON array of history records, or returns `nil` when none were asked for.
    public func withHistory<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try result.withBytes(row: 0, column: 2, body)
    }
}

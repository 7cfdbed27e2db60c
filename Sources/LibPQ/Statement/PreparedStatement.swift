/// A named SQL statement that every connection of a pool prepares once, right after connecting.
///
/// Parameters are always bound (`$1`, `$2`, …) and sent in text format; results come back in text format.
public struct PreparedStatement: Hashable, Sendable {
    /// The server-side name of the statement; unique within a pool's catalogue.
    public let name: String
    /// The SQL text with `$n` placeholders.
    public let sql: String
    /// Whether running the statement twice is harmless, so that the pool may retry it once on a
    /// fresh connection when the connection it used turns out to be broken (for example after a server restart).
    public let isIdempotent: Bool
    /// Whether the statement only reads. Consecutive read-only statements of a pipeline share one sync point
    /// (one implicit transaction on the server), which saves the server a flush and a transaction each; a
    /// statement that writes always gets a sync point of its own, so that no other request's failure can
    /// roll its write back.
    public let isReadOnly: Bool

    public init(name: String, sql: String, isIdempotent: Bool, isReadOnly: Bool = false) {
        self.name = name
        self.sql = sql
        self.isIdempotent = isIdempotent
        self.isReadOnly = isReadOnly
    }
}

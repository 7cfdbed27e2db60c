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

    public init(name: String, sql: String, isIdempotent: Bool) {
        self.name = name
        self.sql = sql
        self.isIdempotent = isIdempotent
    }
}

import LibPQ

/// The SQL of ``IncomingHookRepository``.
enum IncomingHookStatements {
    static let all: [PreparedStatement] = [find]

    /// The incoming integration `$1`: its document, or no row (another type, or none). The token is compared by
    /// the caller, in constant time.
    static let find = PreparedStatement(
        name: "find_incoming_hook",
        sql: "SELECT doc::text FROM integrations WHERE id = $1::text AND type = 'webhook-incoming'",
        isIdempotent: true,
        isReadOnly: true
    )
}

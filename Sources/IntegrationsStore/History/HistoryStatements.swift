import LibPQ

/// The SQL of ``HistoryRepository``: history records written and expired.
enum HistoryStatements {
    static let all: [PreparedStatement] = [insert, deleteExpired]

    /// Inserts a history record document.
    static let insert = PreparedStatement(
        name: "insert_history",
        sql: "INSERT INTO integration_history (doc) VALUES ($1::jsonb)",
        isIdempotent: false
    )

    /// Deletes up to `$2` history records last updated before `$1` (ISO dates compare as text), oldest first.
    static let deleteExpired = PreparedStatement(
        name: "delete_expired_history",
        sql: """
            DELETE FROM integration_history
            WHERE id IN (SELECT id FROM integration_history WHERE updated_at < $1 ORDER BY updated_at LIMIT $2::int)
            """,
        isIdempotent: true
    )
}

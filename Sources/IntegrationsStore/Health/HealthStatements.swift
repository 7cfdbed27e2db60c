import LibPQ

/// The SQL of ``DatabaseHealth``.
enum HealthStatements {
    static let all: [PreparedStatement] = [ping]

    static let ping = PreparedStatement(name: "ping", sql: "SELECT 1", isIdempotent: true, isReadOnly: true)
}

import LibPQ
import Testing

/// Statements that share a connection go out in one libpq pipeline: each gets its own result, in order, and a
/// failing one fails alone.
@Suite struct PipelineTests {
    static let echo = PreparedStatement(name: "pipeline_echo", sql: "SELECT $1::int * 2, pg_backend_pid()", isIdempotent: true)
    static let divide = PreparedStatement(name: "pipeline_divide", sql: "SELECT 10 / $1::int", isIdempotent: true)
    static let rows = PreparedStatement(name: "pipeline_rows", sql: "SELECT g, repeat('x', 2000) FROM generate_series(1, $1::int) g", isIdempotent: true)

    static func pool(depth: Int) async throws -> ConnectionPool {
        let pool = ConnectionPool(
            configuration: .init(
                conninfo: try await TestDatabase.conninfo(),
                minimumConnections: 1,
                maximumConnections: 1,
                acquireTimeout: .seconds(15),
                pipelineDepth: depth,
                catalogue: [echo, divide, rows]
            ),
            logger: TestDatabase.logger
        )
        pool.start()
        return pool
    }

    @Test func concurrentStatementsShareOneConnectionAndGetTheirOwnAnswers() async throws {
        let pool = try await Self.pool(depth: 64)
        defer { pool.shutdown() }
        let answers = try await withThrowingTaskGroup(of: (Int, Int?, Int?).self) { group in
            for value in 0..<200 {
                group.addTask {
                    let result = try await pool.query(Self.echo, [String(value)])
                    return (value, result.int(row: 0, column: 0), result.int(row: 0, column: 1))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 200)
        for (value, doubled, _) in answers { #expect(doubled == value * 2) }
        // One connection served them all (the pool has one).
        #expect(Set(answers.map(\.2)).count == 1)
    }

    @Test func aFailingStatementFailsAloneAndTheConnectionStaysUsable() async throws {
        let pool = try await Self.pool(depth: 64)
        defer { pool.shutdown() }
        let outcomes = await withTaskGroup(of: (Int, Result<Int?, PostgresError>).self) { group in
            for value in 0..<60 {
                group.addTask {
                    // Every tenth divides by zero: a server error inside the pipeline.
                    let divisor = value % 10 == 0 ? 0 : value
                    do {
                        let result = try await pool.query(Self.divide, [String(divisor)])
                        return (value, .success(result.int(row: 0, column: 0)))
                    } catch {
                        return (value, .failure((error as? PostgresError) ?? PostgresError(.unexpectedResult, message: "\(error)")))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (value, outcome) in outcomes {
            switch outcome {
            case .success(let quotient):
                #expect(value % 10 != 0 && quotient == 10 / value)
            case .failure(let error):
                #expect(value % 10 == 0)
                #expect(error.code == .serverError && error.sqlState == "22012", "\(error)")
            }
        }
        // A transaction on the same connection after the pipelines.
        let inTransaction = try await pool.withSession { session in
            try session.transaction { try session.execute(sql: "SELECT 1", []).int(row: 0, column: 0) }
        }
        #expect(inTransaction == 1)
    }

    @Test func largeResultsInOnePipelineDoNotDeadlock() async throws {
        let pool = try await Self.pool(depth: 64)
        defer { pool.shutdown() }
        // 64 statements of 500 rows × 2 KB: ~64 MB of results while statements are still being sent.
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask { try await pool.query(Self.rows, ["500"]).rowCount }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 500, count: 64))
    }

    @Test func depthOneGivesEachStatementItsOwnTurn() async throws {
        let pool = try await Self.pool(depth: 1)
        defer { pool.shutdown() }
        let answers = try await withThrowingTaskGroup(of: Int?.self) { group in
            for value in 0..<20 {
                group.addTask { try await pool.query(Self.echo, [String(value)]).int(row: 0, column: 0) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.compactMap { $0 }.sorted() == (0..<20).map { $0 * 2 })
    }
}

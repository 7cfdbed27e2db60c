import LibPQ
import Testing

/// Statements that share a connection go out in one libpq pipeline: each gets its own result, in order, and a
/// failing one fails alone — a writing one with its own sync point, a read-only one by having the rest of its
/// sync group (which the server skipped) run again.
@Suite struct PipelineTests {
    static let echo = PreparedStatement(name: "pipeline_echo", sql: "SELECT $1::int * 2, pg_backend_pid()", isIdempotent: true)
    static let divide = PreparedStatement(name: "pipeline_divide", sql: "SELECT 10 / $1::int", isIdempotent: true, isReadOnly: true)
    static let readOnlyEcho = PreparedStatement(name: "pipeline_ro_echo", sql: "SELECT $1::int * 2", isIdempotent: true, isReadOnly: true)
    static let insert = PreparedStatement(name: "pipeline_insert", sql: "INSERT INTO pipeline_writes (id) VALUES ($1::int)", isIdempotent: false)
    static let rows = PreparedStatement(
        name: "pipeline_rows",
        sql: "SELECT g, repeat('x', 2000) FROM generate_series(1, $1::int) g",
        isIdempotent: true
    )

    /// The table the writes go to, created once (concurrent `CREATE TABLE IF NOT EXISTS` can collide).
    static let table = Task<Void, any Error> {
        let setup = TestDatabase.singleConnectionPool(try await TestDatabase.conninfo())
        defer { setup.shutdown() }
        try await setup.withSession { session in
            try session.executeScript("CREATE TABLE IF NOT EXISTS pipeline_writes (id int PRIMARY KEY)")
        }
    }

    static func pool(depth: Int) async throws -> ConnectionPool {
        try await table.value
        let pool = ConnectionPool(
            configuration: .init(
                conninfo: try await TestDatabase.conninfo(),
                minimumConnections: 1,
                maximumConnections: 1,
                acquireTimeout: .seconds(15),
                pipelineDepth: depth,
                catalogue: [echo, readOnlyEcho, divide, rows, insert]
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
        // One connection served them all (the pool has one), in pipelines: the statements arrive before that
        // connection is open, wait for it, and are handed it together rather than one at a time.
        #expect(Set(answers.map(\.2)).count == 1)
        let statistics = pool.statistics
        #expect(statistics.pipelines > 0 && statistics.pipelinedStatements >= 2 * statistics.pipelines)
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

    /// One batch, spelled out: a failing read-only statement makes the server skip the rest of its sync group,
    /// which then runs again; the write in the middle has its own sync point; a NUL parameter fails alone.
    @Test func oneBatchWithEveryKindOfOutcome() async throws {
        let pool = try await Self.pool(depth: 64)
        defer { pool.shutdown() }
        let id = String(Int.random(in: 1...1_000_000) * 1000 + 999)
        let results = try await pool.withSession { session in
            session.executePipeline([
                BoundStatement(Self.readOnlyEcho, ["1"]),
                BoundStatement(Self.divide, ["0"]),
                BoundStatement(Self.readOnlyEcho, ["2"]),
                BoundStatement(Self.readOnlyEcho, ["a\u{0}"]),
                BoundStatement(Self.readOnlyEcho, ["3"]),
                BoundStatement(Self.insert, [id]),
                BoundStatement(Self.insert, [id]),
                BoundStatement(Self.readOnlyEcho, ["4"]),
            ]).map { result in result.map { $0.int(row: 0, column: 0) } }
        }
        #expect(try results[0].get() == 2)
        #expect(throws: PostgresError.self) { try results[1].get() }
        #expect(try results[2].get() == 4)
        #expect(throws: PostgresError(.invalidParameter, message: "")) { try results[3].get() }
        #expect(try results[4].get() == 6)
        #expect(try results[5].get() == nil)
        #expect(throws: PostgresError.self) { try results[6].get() }
        #expect(try results[7].get() == 8)
        if case .failure(let error) = results[1] { #expect(error.sqlState == "22012") }
        if case .failure(let error) = results[6] { #expect(error.sqlState == "23505") }
    }

    @Test func aFailingWriteDoesNotTakeOtherWritesWithIt() async throws {
        let pool = try await Self.pool(depth: 64)
        defer { pool.shutdown() }
        let base = Int.random(in: 1...1_000_000) * 1000
        // Every tenth id exists already: its insert fails with a unique violation, between the others.
        for value in stride(from: 0, to: 100, by: 10) { _ = try await pool.query(Self.insert, [String(base + value)]) }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for value in 0..<100 {
                group.addTask {
                    // Reads between the writes, so that read-only groups and writes share the pipelines.
                    _ = try? await pool.query(Self.divide, [String(value % 7)])
                    let inserted = (try? await pool.query(Self.insert, [String(base + value)])) != nil
                    return (value, inserted)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (value, inserted) in outcomes { #expect(inserted == (value % 10 != 0), "\(value)") }
        // Every acknowledged insert is there: no other statement's failure rolled one back.
        let count = try await pool.withSession { session in
            try session.execute(sql: "SELECT count(*) FROM pipeline_writes WHERE id >= $1 AND id < $1 + 100", [String(base)]).int(row: 0, column: 0)
        }
        #expect(count == 100)
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
        #expect(pool.statistics.pipelines == 0)
    }
}

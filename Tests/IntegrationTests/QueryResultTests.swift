import LibPQ
import Testing

/// Reading libpq results in place.
@Suite struct QueryResultTests {
    @Test func cellsReadAsTextNumbersBooleansAndNulls() async throws {
        let pool = TestDatabase.singleConnectionPool(try await TestDatabase.conninfo())
        defer { pool.shutdown() }
        let (full, empty) = try await pool.withSession { session in
            (
                try session.execute(sql: "SELECT $1::text, 42, true, NULL::text, '{\"a\": 1.50}'::jsonb", ["héllo 🚀"]),
                try session.execute(sql: "SELECT 1 WHERE false", [])
            )
        }
        #expect(full.rowCount == 1 && full.columnCount == 5)
        #expect(full.string(row: 0, column: 0) == "héllo 🚀")
        #expect(full.int(row: 0, column: 1) == 42)
        #expect(full.bool(row: 0, column: 2) == true)
        #expect(full.string(row: 0, column: 3) == nil)
        #expect(full.string(row: 0, column: 4) == #"{"a": 1.50}"#)
        // Outside the result is NULL, never a trap.
        #expect(empty.rowCount == 0)
        #expect(empty.string(row: 0, column: 0) == nil)
        #expect(full.string(row: 1, column: 0) == nil)
        #expect(full.string(row: 0, column: 9) == nil)
    }

    @Test func parametersWithNULAreRefusedBeforeTheyReachTheServer() async throws {
        let pool = TestDatabase.singleConnectionPool(try await TestDatabase.conninfo())
        defer { pool.shutdown() }
        await #expect {
            try await pool.withSession { session in try session.execute(sql: "SELECT $1::text", ["a\u{0}b"]) }
        } throws: { error in
            (error as? PostgresError)?.code == .invalidParameter
        }
    }
}

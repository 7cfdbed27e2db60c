import IntegrationsServer
import IntegrationsStore
import LibPQ
import Testing

/// The delivery engine's statements are planned once per connection, while the queue's tables may be small, and
/// then run against whatever the tables have grown to: their plans must be keyed lookups whatever the tables'
/// size. (A claim planned on a near-empty table scanned all 40,000 rows of a burst, 19 ms a claim.)
@Suite struct DeliveryPlanTests {
    /// Each engine statement with arguments of the right types (EXPLAIN does not run them).
    static let explained: [(statement: String, arguments: String)] = [
        ("claim_deliveries", "32, 30, 'owner'"),
        ("begin_delivery_attempts", "'{a,b}', '{t1,t2}', '{h1,NULL}', '{\"{}\",NULL}', '{f,t}'"),
        ("complete_delivery_attempts", "'{a,b}', '{t1,t2}', '{h1,h2}', '{\"{}\",\"{}\"}', '{finish,retry}', '{0,10}'"),
        ("complete_delivery_attempts_disabling", "'{a,b}', '{t1,t2}', '{h1,h2}', '{\"{}\",\"{}\"}', '{disable,retry}', '{0,10}'"),
        ("renew_delivery_leases", "'{a,b}', '{t1,t2}', 30"),
        ("release_delivery_leases", "'{a,b}', '{t1,t2}'"),
    ]

    @Test(arguments: explained.map(\.statement))
    func theEnginesPlansReachEveryRowByKey(_ statement: String) async throws {
        let arguments = try #require(Self.explained.first { $0.statement == statement }?.arguments)
        let pool = DatabaseSetup.makeDeliveryPool(
            TestDatabase.configuration(),
            conninfo: try await TestDatabase.conninfo(),
            logger: TestDatabase.logger
        )
        pool.start()
        defer { pool.shutdown() }
        let plan = try await pool.withSession { session in
            let result = try session.execute(sql: "EXPLAIN EXECUTE \(statement)(\(arguments))", [])
            return (0..<result.rowCount).compactMap { result.string(row: $0, column: 0) }.joined(separator: "\n")
        }
        #expect(!plan.isEmpty)
        for node in ["Seq Scan", "Hash Join", "Merge Join", "Materialize", "Hash"] {
            #expect(!plan.contains("\(node) "), "\(statement) plans a \(node):\n\(plan)")
        }
    }

    @Test func theEngineStatementsAreAllExplained() {
        #expect(
            Set(Self.explained.map(\.statement)).isSuperset(
                of: StatementCatalogue.deliveryEngine.map(\.name).filter { $0 != "notify_delivery_engines" }
            )
        )
    }
}

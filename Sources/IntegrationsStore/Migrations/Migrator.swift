import Foundation
import LibPQ
import Logging

/// Applies the numbered SQL files of `sql/` in order, each in its own transaction, and records them in
/// `schema_migrations`. A session-level advisory lock makes concurrent starts safe: the second process
/// waits, then finds nothing left to do.
public struct Migrator: Sendable {
    /// One file of `sql/`: `NNN_description.sql`.
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sql: String

        public init(version: Int, name: String, sql: String) {
            self.version = version
            self.name = name
            self.sql = sql
        }
    }

    /// A migration file or the migrations table is not as expected.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The advisory lock key (arbitrary, fixed: "integrations migrations").
    private static let lockKey = "7424461304977139513"

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads `NNN_name.sql` files from a directory.
    public init(directory: URL) throws {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw Failure(description: "cannot read the migrations folder \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw Failure(description: "migration file \(file) is not named NNN_description.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        if let duplicate = Dictionary(grouping: migrations, by: \.version).first(where: { $0.value.count > 1 }) {
            throw Failure(description: "two migration files have the number \(duplicate.key)")
        }
        self.init(migrations: migrations)
    }

    /// Applies the pending migrations on `pool` (whose catalogue may be empty); returns the versions applied.
    @discardableResult
    public func run(on pool: ConnectionPool, logger: Logger) async throws -> [Int] {
        let migrations = self.migrations
        let applied = try await pool.withSession { session -> [Int] in
            _ = try session.execute(sql: "SELECT pg_advisory_lock($1::bigint)", [Self.lockKey])
            defer { _ = try? session.execute(sql: "SELECT pg_advisory_unlock($1::bigint)", [Self.lockKey]) }
            try session.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """
            )
            let existing = try session.execute(sql: "SELECT version, checksum FROM schema_migrations", [])
            var known: [Int: String] = [:]
            for row in 0..<existing.rowCount {
                if let version = existing.int(row: row, column: 0) { known[version] = existing.string(row: row, column: 1) }
            }
            var newlyApplied: [Int] = []
            for migration in migrations {
                let checksum = try session.execute(sql: "SELECT md5($1)", [migration.sql]).string(row: 0, column: 0) ?? ""
                if let recorded = known[migration.version] {
                    guard recorded == checksum else {
                        throw Failure(description: "migration \(migration.version)_\(migration.name) was changed after it was applied")
                    }
                    continue
                }
                try session.transaction {
                    try session.executeScript(migration.sql)
                    _ = try session.execute(
                        sql: "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1::integer, $2, $3)",
                        [String(migration.version), migration.name, checksum]
                    )
                }
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
        for version in applied {
            logger.info("applied migration", metadata: ["version": "\(version)"])
        }
        return applied
    }
}

import Foundation
import IntegrationsStore
import LibPQ
import Testing

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// The executable copied away from its build tree, as an installation does, and started in a folder without
/// `sql/` or `config/`: it still knows its migrations, because the build compiled them in.
@Suite struct InstalledBinaryTests {
    @Test func aBinaryStartedElsewhereWithoutMigrationsDirMigratesAFreshDatabase() async throws {
        let cluster = try await TestDatabase.startCluster()
        let conninfo = try cluster.conninfo
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("installed-\(UInt32.random(in: 0...UInt32.max))")
        let binary = folder.appendingPathComponent("bin/integrations")
        let workingDirectory = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: workingDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.copyExecutable(from: ServiceProcess.executable, to: binary.path)

        let process = try ServiceProcess(
            executable: binary.path,
            ["migrate"],
            environment: ["DATABASE_URL": conninfo, "LOG_LEVEL": "info"],
            workingDirectory: workingDirectory.path
        )
        defer { process.killGroup() }
        let status = try await process.waitForExit(timeout: .seconds(120))
        #expect(status == .exited(code: 0), "\(process.lines.joined(separator: "\n"))")

        let files = try Migrator(directory: URL(fileURLWithPath: TestDatabase.migrationsDirectory)).migrations
        // The output is read on a thread of its own, which may still be at it on a busy machine.
        let deadline = ContinuousClock.now + .seconds(10)
        func applied() -> Int { process.lines.filter { $0.contains("applied migration") }.count }
        while applied() < files.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(applied() == files.count, "\(process.lines.joined(separator: "\n"))")
        let pool = TestDatabase.singleConnectionPool(conninfo)
        defer { pool.shutdown() }
        // Version, name and checksum as a migration from the files would have recorded them, so that a database
        // migrated by an older binary from sql/ accepts this one.
        let recorded = try await pool.withSession { session in
            let rows = try session.execute(sql: "SELECT version, name, checksum FROM schema_migrations ORDER BY version", [])
            return (0..<rows.rowCount).map { row in
                "\(rows.int(row: row, column: 0) ?? -1) \(rows.string(row: row, column: 1) ?? "") \(rows.string(row: row, column: 2) ?? "")"
            }
        }
        let expected = try await pool.withSession { session in
            try files.map { file in
                "\(file.version) \(file.name) \(try session.execute(sql: "SELECT md5($1)", [file.sql]).string(row: 0, column: 0) ?? "")"
            }
        }
        #expect(recorded == expected)
        // The tables of the first migration and of the last are there.
        let tables = try await pool.withSession { session in
            try session.execute(sql: "SELECT count(*) FROM pg_tables WHERE tablename IN ('users', 'schema_migrations')", []).int(row: 0, column: 0)
        }
        #expect(tables == 2)
    }

    /// Copies through a close-on-exec descriptor: FileManager's copy leaves its descriptor inheritable, and a
    /// process that another test spawns meanwhile would keep the file open for writing, which makes starting
    /// it fail (`ETXTBSY`).
    static func copyExecutable(from source: String, to destination: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw ServiceProcess.Failure(description: "cannot create \(destination): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written else { throw ServiceProcess.Failure(description: "cannot write \(destination): \(String(cString: strerror(errno)))") }
    }
}

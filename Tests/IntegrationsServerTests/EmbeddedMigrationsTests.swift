import Foundation
import IntegrationsStore
import Testing

@testable import IntegrationsServer

/// The migrations the build plugin compiles into the binary are the repository's `sql/`, byte for byte: the
/// migrations table records an md5 of each text, and a database migrated from the files must accept the binary.
@Suite struct EmbeddedMigrationsTests {
    static let sqlFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql", isDirectory: true)

    @Test func embeddedMigrationsAreTheFilesOfSQL() throws {
        let files = try Migrator(directory: Self.sqlFolder).migrations
        let embedded = Migrator(migrations: EmbeddedMigrations.all).migrations
        #expect(!files.isEmpty)
        #expect(embedded.map(\.version) == files.map(\.version))
        #expect(embedded.map(\.name) == files.map(\.name))
        for (built, file) in zip(embedded, files) {
            #expect(Array(built.sql.utf8) == Array(file.sql.utf8), "\(file.version)_\(file.name)")
        }
        let fileNames = try FileManager.default.contentsOfDirectory(atPath: Self.sqlFolder.path).filter { $0.hasSuffix(".sql") }.sorted()
        let bytes = try fileNames.map { try Data(contentsOf: Self.sqlFolder.appendingPathComponent($0)) }
        #expect(embedded.map { Data($0.sql.utf8) } == bytes)
    }

    @Test func unsetMigrationsDirUsesTheEmbeddedOnes() throws {
        let configuration = try ServiceConfiguration(values: [:])
        #expect(configuration.migrationsDirectory == nil)
        #expect(try DatabaseSetup.migrator(for: configuration).migrations == Migrator(migrations: EmbeddedMigrations.all).migrations)
    }

    @Test func migrationsDirOverridesThemWithAFolderReadAtRunTime() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE only_this (id int);\n".write(to: folder.appendingPathComponent("001_only_this.sql"), atomically: true, encoding: .utf8)
        let configuration = try ServiceConfiguration(values: ["MIGRATIONS_DIR": folder.path])
        #expect(
            try DatabaseSetup.migrator(for: configuration).migrations == [
                .init(version: 1, name: "only_this", sql: "CREATE TABLE only_this (id int);\n")
            ]
        )
    }
}

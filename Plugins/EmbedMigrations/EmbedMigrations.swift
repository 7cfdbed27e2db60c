import Foundation
import PackagePlugin

/// Compiles the repository's migrations (`sql/NNN_name.sql`) into the target that applies it, as the generated
/// source `EmbeddedMigrations.swift` (`EmbeddedMigrations.all`, one `Migrator.Migration` per file), so that an
/// installed binary finds its migrations without any file beside it.
///
/// The target sees `sql/` through a link inside its own folder (`Migrations/sql`): SwiftPM asks a plugin for its
/// commands again only when a target's folder changes, so a migration outside every target could be added or
/// removed without the build noticing. Each migration file is an input of the command: editing one regenerates
/// the source.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let migrations = module.sourceFiles(withSuffix: ".sql").map(\.url).sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding the SQL migrations in \(target.name)",
                executable: try context.tool(named: "EmbedMigrationsTool").url,
                arguments: [output.path] + migrations.map(\.path),
                inputFiles: migrations,
                outputFiles: [output]
            )
        ]
    }
}

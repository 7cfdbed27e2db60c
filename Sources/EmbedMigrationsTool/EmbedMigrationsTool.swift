import Foundation

/// The build tool of the `EmbedMigrations` plugin: `EmbedMigrationsTool OUTPUT.swift NNN_name.sql...` writes a
/// Swift source declaring `EmbeddedMigrations.all`, one `Migrator.Migration` per file, its text exactly the
/// file's bytes (escaped, so that no line ending or character is changed by the compiler).
///
/// Names are read as `Migrator(directory:)` reads them (the number before the first `_`, the rest without
/// `.sql`); a test checks that both give the same migrations.
@main
struct EmbedMigrationsTool {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func main() {
        do {
            let arguments = CommandLine.arguments.dropFirst()
            guard let output = arguments.first else { throw Failure(description: "usage: EmbedMigrationsTool OUTPUT.swift FILE.sql...") }
            let source = try generate(files: arguments.dropFirst().map { URL(fileURLWithPath: $0) })
            // The same text is not written again: the tool is relinked whenever `swift test` and `swift build`
            // alternate, which reruns this command, and a new file would recompile the module for nothing.
            if (try? String(contentsOfFile: output, encoding: .utf8)) != source {
                try source.write(toFile: output, atomically: true, encoding: .utf8)
            }
        } catch {
            FileHandle.standardError.write(Data("error: EmbedMigrations: \(error)\n".utf8))
            exit(1)
        }
    }

    static func generate(files: [URL]) throws -> String {
        // A missing sql/ (a build context without it) must stop the build, not give a binary with no schema.
        guard !files.isEmpty else { throw Failure(description: "no migration files (is sql/ there?)") }
        var migrations: [(version: Int, name: String, sql: String)] = []
        for file in files {
            let fileName = file.lastPathComponent
            let stem = fileName.dropLast(4)
            guard fileName.hasSuffix(".sql"), let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw Failure(description: "migration file \(fileName) is not named NNN_description.sql")
            }
            guard let sql = String(validating: try Data(contentsOf: file), as: UTF8.self) else {
                throw Failure(description: "migration file \(fileName) is not UTF-8")
            }
            if migrations.contains(where: { $0.version == version }) {
                throw Failure(description: "two migration files have the number \(version)")
            }
            migrations.append((version, String(stem[stem.index(after: underscore)...]), sql))
        }
        var source = """
            // Generated at build time by the EmbedMigrations plugin from the repository's sql/. Do not edit; not committed.
            import IntegrationsStore

            /// The migrations of the repository's `sql/`, built into the binary.
            enum EmbeddedMigrations {
                static let all: [Migrator.Migration] = [

            """
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            source += "        Migrator.Migration(version: \(migration.version), name: \(literal(migration.name)), sql: \(literal(migration.sql))),\n"
        }
        source += "    ]\n}\n"
        return source
    }

    /// A Swift string literal of `text`: printable ASCII as it is, every other character as an escape.
    static func literal(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case " "..."~": literal.unicodeScalars.append(scalar)
            default: literal += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return literal + "\""
    }
}

import Foundation
import Testing

@testable import IntegrationsServer

/// The deployment files, checked without a Docker engine (none runs on CI machines): `docker-compose config`
/// (Debian's docker-compose 1.29.2), the compose-spec JSON schema (check-jsonschema), hadolint for the
/// Dockerfile. Each check is skipped where its tool is missing; `scripts/test` installs them all.
@Suite struct DeploymentFilesTests {
    static let root = URL(fileURLWithPath: TestDatabase.migrationsDirectory).deletingLastPathComponent()
    static let composeFile = root.appendingPathComponent("docker-compose.yml").path
    static let secrets = ["POSTGRES_PASSWORD": "compose-test-password", "ADMIN_PASS": "compose-test-admin"]

    static func tool(_ name: String) -> String? {
        let candidates = [root.appendingPathComponent(".build/python-venv/bin/\(name)").path, "/usr/bin/\(name)", "/usr/local/bin/\(name)"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool to completion: its exit code and output.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> (IntegrationsServer.ExitStatus?, String) {
        let process = try ServiceProcess(executable: executable, arguments, environment: environment)
        defer { process.killGroup() }
        let status = try await process.waitForExit(timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(100))
        return (status, process.lines.joined(separator: "\n"))
    }

    @Test(.enabled(if: tool("docker-compose") != nil, "docker-compose is not installed"))
    func composeFileIsValidAndWiredAsDocumented() async throws {
        let compose = try #require(Self.tool("docker-compose"))
        // An empty env file: a developer's own .env must not decide the outcome.
        let emptyEnv = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UInt32.random(in: 0...UInt32.max)).env")
        try Data().write(to: emptyEnv)
        defer { try? FileManager.default.removeItem(at: emptyEnv) }
        let base = ["-f", Self.composeFile, "--env-file", emptyEnv.path]
        let (status, output) = try await Self.run(compose, base + ["config"], environment: Self.secrets)
        #expect(status == .exited(code: 0), "\(output)")
        // The interpolated file: PostgreSQL published on loopback only, the start order, nginx's configuration.
        #expect(output.contains("127.0.0.1:5432:5432"))
        #expect(output.contains("condition: service_healthy"))
        #expect(output.contains("condition: service_completed_successfully"))
        #expect(output.contains("config/nginx.conf:/etc/nginx/nginx.conf:ro"))
        #expect(output.contains("pg_isready -h 127.0.0.1"))

        // The secrets are required: without them, a message names them.
        let (refused, message) = try await Self.run(compose, base + ["config", "-q"])
        #expect(refused.map { !$0.isSuccess } == true, "\(String(describing: refused))")
        #expect(message.contains("POSTGRES_PASSWORD"))
    }

    @Test(.enabled(if: tool("check-jsonschema") != nil, "check-jsonschema is not installed"))
    func composeFileMatchesTheComposeSpecification() async throws {
        let checker = try #require(Self.tool("check-jsonschema"))
        let (status, output) = try await Self.run(checker, ["--builtin-schema", "vendor.compose-spec", Self.composeFile])
        #expect(status == .exited(code: 0), "\(output)")
    }

    @Test(.enabled(if: tool("hadolint") != nil, "hadolint is not installed"))
    func dockerfilePassesHadolint() async throws {
        let hadolint = try #require(Self.tool("hadolint"))
        let (status, output) = try await Self.run(hadolint, ["--no-color", Self.root.appendingPathComponent("Dockerfile").path])
        #expect(status == .exited(code: 0), "\(output)")
    }

    @Test func envExampleListsEveryVariableTheComposeFileReads() throws {
        let compose = try String(contentsOfFile: Self.composeFile, encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent(".env.example"), encoding: .utf8)
        let used = Set(compose.matches(of: /\$\{([A-Z_]+)[:}]/).map { String($0.1) })
        let documented = Set(
            example.split(separator: "\n").compactMap { line -> String? in
                guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { return nil }
                return String(line[..<equals])
            }
        )
        #expect(!used.isEmpty)
        #expect(used.subtracting(documented).isEmpty, "not in .env.example: \(used.subtracting(documented).sorted())")
    }
}

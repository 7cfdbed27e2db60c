import Foundation
import HummingbirdTesting
import Testing

/// Drives the service with the real Python client `rocketchat-api`, which `scripts/test` installs into
/// `.build/python-venv` (or name a Python with it as `ROCKETCHAT_API_PYTHON`). Skipped where neither exists.
@Suite struct ClientCompatibilityTests {
    static let python: String? = {
        if let configured = ProcessInfo.processInfo.environment["ROCKETCHAT_API_PYTHON"], !configured.isEmpty { return configured }
        let venv = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/python-venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }()

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ClientCompatibility/rocketchat_api_client.py").path

    @Test(.enabled(if: python != nil, "the rocketchat-api Python client is not installed (scripts/test installs it)"))
    func rocketchatAPIClientWorksUnchanged() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"], password: "client-password")
            let port = server.client.port
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.python))
            process.arguments = [Self.script, "http://127.0.0.1:\(port)", admin.username, "client-password"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = try await onOwnThread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return data
            }
            let text = String(decoding: data, as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.contains("0 failed"), "\(text)")
        }
    }
}

import Foundation
import IntegrationsCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The service behind a real nginx (Debian's package) running the shipped `config/nginx.conf`: login and
/// `integrations.get` through it on one keep-alive connection, upstream keep-alive, the client address the
/// service takes from a trusted proxy, and a spoofed `X-Forwarded-For` from an untrusted address.
/// Skipped when nginx is not installed (`scripts/test` installs it).
@Suite(.serialized, .enabled(if: Nginx.path != nil, "nginx is not installed")) struct NginxTests {
    @Test func throughTheShippedNginxConfiguration() async throws {
        try await RunningService.with(
            workers: 2,
            environment: ["LOG_FORMAT": "json", "TRUSTED_PROXIES": "127.0.0.1/32", "DEBUG_WORKER_HEADER": "false"]
        ) { service in
            let nginx = try await Nginx(upstreamPort: service.port)
            defer { nginx.stop() }
            let user = try await service.server.createUser(roles: ["admin"], password: "through-nginx")

            // One client connection (from 127.0.0.5, an address of its own) for login and get.
            let client = try RawConnection(port: nginx.port, from: "127.0.0.5")
            defer { client.close() }
            let login = try await client.exchange(
                "POST",
                "/api/v1/login",
                headers: [("Content-Type", "application/json"), ("X-Request-Id", "nginx-login-1")],
                body: #"{"user":"\#(user.username)","password":"through-nginx"}"#
            )
            #expect(login.status == 200, "\(login.body)")
            #expect(login.headers["x-request-id"] == "nginx-login-1")
            let token = try #require(login.body.firstMatch(of: /"authToken":"([^"]+)"/)?.1)
            let credentials = [("X-User-Id", user.id), ("X-Auth-Token", String(token))]
            for round in 1...10 {
                let got = try await client.exchange(
                    "GET",
                    "/api/v1/integrations.get?integrationId=\(service.integrationId)",
                    headers: credentials + [("X-Request-Id", "nginx-get-\(round)")]
                )
                #expect(got.status == 200)
                #expect(got.body.contains(service.integrationId))
                #expect(got.headers["x-request-id"] == "nginx-get-\(round)")
                #expect(got.headers["connection"]?.lowercased() != "close")
            }

            // nginx keeps its connections to the service open for the next requests.
            let upstream = Nginx.establishedConnections(toPort: service.port)
            #expect(
                upstream >= 1 && upstream <= 4,
                "\(upstream) established connections from nginx to the service: \(Nginx.connections(toPort: service.port))"
            )

            // The service takes the client address from nginx (trusted), and ignores what the client claimed.
            let spoofed = try await client.exchange("GET", "/api/info", headers: [("X-Forwarded-For", "6.6.6.6"), ("X-Request-Id", "nginx-spoof")])
            #expect(spoofed.status == 200)
            try await expectAccessLog(of: service, requestID: "nginx-login-1", client: "127.0.0.5")
            try await expectAccessLog(of: service, requestID: "nginx-spoof", client: "127.0.0.5")

            // A spoofed header sent straight to the service from an untrusted address is not believed either.
            let direct = try RawConnection(port: service.port, from: "127.0.0.5")
            defer { direct.close() }
            _ = try await direct.exchange(
                "GET",
                "/api/info",
                headers: [("X-Forwarded-For", "6.6.6.6"), ("X-Real-IP", "7.7.7.7"), ("X-Request-Id", "direct-spoof")]
            )
            try await expectAccessLog(of: service, requestID: "direct-spoof", client: "127.0.0.5")

            // What nginx refuses itself: metrics, and bodies over the service's 1 MiB.
            #expect(try await client.exchange("GET", "/metrics").status == 404)
            let large = try RawConnection(port: nginx.port)
            defer { large.close() }
            let tooLarge = try await large.exchange(
                "POST",
                "/api/v1/integrations.create",
                headers: credentials,
                body: String(repeating: "x", count: 1_100_000)
            )
            #expect(tooLarge.status == 413)

            // Tokens and passwords never reach the logs.
            #expect(!service.process.lines.contains { $0.contains(String(token)) || $0.contains("through-nginx") })
        }
    }

    private func expectAccessLog(of service: RunningService, requestID: String, client: String) async throws {
        let line = try await service.process.waitForLine(timeout: .seconds(5)) {
            $0.contains(#""request_id":"\#(requestID)""#) && $0.contains(#""message":"request""#)
        }
        let fields = try JSONParser.parse(Array(line.utf8))
        #expect(fields["client"]?.stringValue == client, "\(line)")
        #expect(fields["status"] != nil && fields["route"] != nil && fields["duration_ms"] != nil && fields["method"] != nil)
    }
}

/// nginx from the machine's package, running `config/nginx.conf` with only its addresses changed (and its
/// temporary files in a folder of its own, so that it runs without root).
struct Nginx {
    static let path: String? = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let shippedConfiguration = URL(fileURLWithPath: TestDatabase.migrationsDirectory)
        .deletingLastPathComponent().appendingPathComponent("config/nginx.conf")

    let process: ServiceProcess
    let port: Int
    let directory: URL

    init(upstreamPort: Int) async throws {
        guard let path = Self.path else { throw ServiceProcess.Failure(description: "no nginx") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try TestDatabase.freePort()
        var configuration = try String(contentsOf: Self.shippedConfiguration, encoding: .utf8)
        for (original, replacement) in [
            ("server app:3000", "server 127.0.0.1:\(upstreamPort)"),
            ("listen 80;", "listen 127.0.0.1:\(port);"),
            ("http {", "http {\n    client_body_temp_path \(directory.path)/body;\n    proxy_temp_path \(directory.path)/proxy;"),
        ] {
            guard configuration.contains(original) else { throw ServiceProcess.Failure(description: "config/nginx.conf has no \(original)") }
            configuration = configuration.replacingOccurrences(of: original, with: replacement)
        }
        let file = directory.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        process = try ServiceProcess(
            executable: path,
            ["-p", directory.path, "-c", file.path, "-g", "daemon off; pid \(directory.path)/nginx.pid; error_log stderr;"],
            environment: [:]
        )
        for _ in 0..<100 {
            if RunningService.accepts(port: port) { return }
            if process.hasExited { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServiceProcess.Failure(description: "nginx did not start:\n" + process.lines.joined(separator: "\n"))
    }

    func stop() {
        process.killGroup()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `/proc/net/tcp`, read to its end (a proc file reports no size, and one read returns one page of it).
    static func tcpTable() -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Every IPv4 TCP socket whose remote port is `port`, with its state (for diagnostics).
    static func connections(toPort port: Int) -> [String] {
        let hexPort = String(format: "%04X", port)
        return tcpTable().split(separator: "\n").filter { $0.contains(":\(hexPort) ") }.map {
            $0.split(separator: " ").prefix(4).joined(separator: " ")
        }
    }

    /// Established IPv4 TCP connections to a local port (`/proc/net/tcp`, state 01).
    static func establishedConnections(toPort port: Int) -> Int {
        let hexPort = String(format: "%04X", port)
        return tcpTable().split(separator: "\n").dropFirst().filter { line in
            let columns = line.split(separator: " ")
            return columns.count > 3 && columns[2].hasSuffix(":\(hexPort)") && columns[3] == "01"
        }.count
    }
}

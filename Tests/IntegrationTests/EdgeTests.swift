import Foundation
import HTTPTypes
import IntegrationsServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the service does at its edge, for a reverse proxy: request ids, the path prefix of `ROOT_URL`,
/// the keep-alive idle timeout.
@Suite struct EdgeTests {
    static let requestID = HTTPField.Name("X-Request-Id")!

    @Test func aRequestIdIsEchoedOrMade() async throws {
        try await TestServer.run { server in
            let given = try await server.get("/api/info", headers: [Self.requestID: "abc-123.def_4:5"])
            #expect(given.headers[Self.requestID] == "abc-123.def_4:5")
            let made = try await server.get("/api/info")
            let id = try #require(made.headers[Self.requestID])
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            // A value unfit for a log line is replaced, not echoed.
            let refused = try await server.get("/api/info", headers: [Self.requestID: "a b<script>"])
            #expect(refused.headers[Self.requestID]?.count == 32)
            #expect(try await server.get("/no/such/route").headers[Self.requestID] != nil)
        }
    }

    @Test func rootURLsPathPrefixesTheAPI() async throws {
        try await TestServer.run(configure: { $0.rootURL = "https://chat.example.com/integrations/" }) { server in
            #expect(try await server.get("/integrations/api/info").status == .ok)
            let admin = try await server.createUser(roles: ["admin"])
            #expect(try await server.get("/integrations/api/v1/me", as: admin).status == .ok)
            let outside = try await server.get("/api/info")
            #expect(outside.status == .notFound)
            #expect(outside.text.contains(#""success":false"#))
            #expect(try await server.get("/integrationsx/api/info").status == .notFound)
            // Probes answer on the port with or without the prefix.
            #expect(try await server.get("/livez").status == .ok)
            #expect(try await server.get("/integrations/readyz").status == .ok)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheTimeout() async throws {
        try await TestServer.run(configure: { $0.keepAliveTimeoutMilliseconds = 1000 }) { server in
            let socket = try RawConnection(port: server.client.port)
            defer { socket.close() }
            try await socket.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await socket.receive().hasPrefix("HTTP/1.1 200"))
            let started = ContinuousClock.now
            // The server closes: the next read sees the end of the stream.
            #expect(try await socket.receive() == "")
            let waited = ContinuousClock.now - started
            #expect(waited > .milliseconds(700) && waited < .seconds(5), "closed after \(waited)")
        }
    }
}

/// A blocking loopback TCP connection, for tests that watch the bytes.
struct RawConnection: Sendable {
    let descriptor: CInt

    /// Connects to the loopback `port`, from the loopback address `source` when given (any 127.x.y.z works on
    /// Linux, so a test can be a client with an address of its own).
    init(port: Int, from source: String? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw ServiceProcess.Failure(description: "bind \(source) failed: \(errno)") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServiceProcess.Failure(description: "connect failed: \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) async throws {
        let descriptor = descriptor
        try await onOwnThread {
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { throw ServiceProcess.Failure(description: "write failed: \(errno)") }
                sent += count
            }
        }
    }

    /// What arrives next ("" at the end of the stream); throws on a timeout.
    func receive() async throws -> String {
        let descriptor = descriptor
        return try await onOwnThread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor, &buffer, buffer.count)
            guard count >= 0 else { throw ServiceProcess.Failure(description: "read failed: \(errno)") }
            return String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    /// One HTTP/1.1 request on this connection and its whole response (bodies with Content-Length).
    func exchange(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") async throws -> RawResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        try await send(text)
        let descriptor = descriptor
        return try await onOwnThread {
            var received = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                if let response = RawResponse(parsing: received) { return response }
                let count = read(descriptor, &buffer, buffer.count)
                guard count > 0 else { throw ServiceProcess.Failure(description: "connection ended after \(received.count) bytes") }
                received += buffer[0..<count]
            }
        }
    }
}

/// A parsed HTTP/1.1 response.
struct RawResponse: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The response, once `bytes` hold all of it.
    init?(parsing bytes: [UInt8]) {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        self.status = status
        self.headers = headers
        self.body = String(decoding: bytes[bodyStart..<bodyStart + length], as: UTF8.self)
    }
}

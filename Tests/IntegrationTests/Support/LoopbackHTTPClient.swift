import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for the tests of test servers: one connection to a loopback address, requests sent
/// one after another on it (keep-alive), each response read whole.
enum LoopbackHTTPClient {
    struct Response: Sendable {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The first value of a header, its name in any case.
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// An open connection.
    struct Connection {
        private var parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        private let authority: String

        fileprivate init(
            parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
            outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
            authority: String
        ) {
            self.parts = parts
            self.outbound = outbound
            self.authority = authority
        }

        /// Sends a request (with `Host` and, for a body, `Content-Length`) and reads its response; throws when the
        /// connection ends before a complete response.
        mutating func send(
            _ method: HTTPMethod,
            _ path: String,
            headers: [(String, String)] = [],
            body: String = ""
        ) async throws -> Response {
            var fields = HTTPHeaders([("Host", authority)] + headers)
            if !body.isEmpty || method == .POST || method == .PUT { fields.add(name: "Content-Length", value: String(body.utf8.count)) }
            var request: [HTTPClientRequestPart] = [.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: fields))]
            if !body.isEmpty { request.append(.body(.byteBuffer(ByteBuffer(string: body)))) }
            request.append(.end(nil))
            try await outbound.write(contentsOf: request)

            var head: HTTPResponseHead?
            var received: [UInt8] = []
            while let part = try await parts.next() {
                switch part {
                case .head(let responseHead): head = responseHead
                case .body(let chunk): received += chunk.readableBytesView
                case .end:
                    guard let head else { throw Failure(description: "a response ended before its head") }
                    return Response(status: head.status, headers: head.headers, body: received)
                }
            }
            throw Failure(description: "the server closed the connection without a complete response to \(path)")
        }
    }

    /// Connects to `host` (a loopback address) on `port`, runs `body` with the connection, and closes it.
    static func withConnection<R: Sendable>(host: String, port: Int, _ body: (inout Connection) async throws -> R) async throws -> R {
        guard LoopbackHost.isLoopback(host) else { throw Failure(description: "\(host) is not a loopback address") }
        let channel = try await ClientBootstrap(group: .singletonMultiThreadedEventLoopGroup)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return try await channel.executeThenClose { inbound, outbound in
            var connection = Connection(parts: inbound.makeAsyncIterator(), outbound: outbound, authority: authority)
            return try await body(&connection)
        }
    }

    /// One request on a connection of its own.
    static func send(
        host: String,
        port: Int,
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        body: String = ""
    ) async throws -> Response {
        try await withConnection(host: host, port: port) { connection in
            try await connection.send(method, path, headers: headers, body: body)
        }
    }
}

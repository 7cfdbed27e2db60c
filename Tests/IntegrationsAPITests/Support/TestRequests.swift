import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

@testable import IntegrationsAPI

/// A request as the router hands it over, without a socket.
func testRequest(_ method: HTTPRequest.Method = .get, _ path: String = "/api/v1/test", headers: HTTPFields = [:], body: String = "") -> Request {
    Request(
        head: HTTPRequest(method: method, scheme: "http", authority: "test", path: path, headerFields: headers),
        body: RequestBody(buffer: ByteBuffer(string: body))
    )
}

/// The context of a request from `peer` (a testing channel stands in for the connection).
func testContext(peer: String? = nil, logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }) throws -> APIRequestContext {
    let channel = NIOAsyncTestingChannel()
    if let peer { channel.remoteAddress = try SocketAddress(ipAddress: peer, port: 40000) }
    return APIRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
}

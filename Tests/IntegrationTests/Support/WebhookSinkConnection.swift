import Foundation
import NIOCore
import NIOHTTP1

/// One accepted connection of a ``WebhookSink``: reads its requests one after another, records each and answers
/// as its ``WebhookSinkRoute`` says, until the client closes, asks to close, or the sink shuts down.
struct WebhookSinkConnection: Sendable {
    let number: Int
    let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    let state: WebhookSinkState

    /// `/big` bodies go out in parts of this size, each written once the previous one is on its way.
    static let bigChunkSize = 64 << 10

    private typealias Parts = NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator
    private typealias Writer = NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    func serve() async {
        // Every error ends the connection, and none is the test's business: a malformed request, a client gone
        // mid-answer, the cancellation at shutdown.
        try? await channel.executeThenClose { inbound, outbound in
            var parts = inbound.makeAsyncIterator()
            while case .head(let head) = try await parts.next() {
                guard try await answer(head, parts: &parts, outbound: outbound) else { return }
            }
        }
    }

    /// Reads the rest of the request, records it and answers it; returns whether the connection stays open.
    private func answer(_ head: HTTPRequestHead, parts: inout Parts, outbound: Writer) async throws -> Bool {
        let arrival = ContinuousClock.now
        let date = Date()
        let route = WebhookSinkRoute(uri: head.uri)
        if case .reset = route {
            record(head, body: [], arrival: arrival, date: date)
            return false
        }
        var body: [UInt8] = []
        reading: while true {
            switch try await parts.next() {
            case .body(let chunk): body += chunk.readableBytesView
            case .end: break reading
            // The client went away mid-request (or broke the protocol): nothing arrived to record.
            case .head, nil: return false
            }
        }
        record(head, body: body, arrival: arrival, date: date)

        let keepAlive = head.isKeepAlive
        switch route {
        case .answer(let reply):
            try await write(reply, to: head, keepAlive: keepAlive, outbound)
        case .slow(let delay):
            try await Task.sleep(for: delay)
            try await write(.ok, to: head, keepAlive: keepAlive, outbound)
        case .hold:
            guard await state.passHoldGate() else { return false }
            try await write(.ok, to: head, keepAlive: keepAlive, outbound)
        case .hang:
            // Whatever else comes is ignored; the stream ends when the client closes or the sink shuts down.
            while try await parts.next() != nil {}
            return false
        case .reset:
            return false
        case .big(let bytes):
            try await writeBig(bytes: bytes, to: head, keepAlive: keepAlive, outbound)
        case .trickle(let interval):
            // A body that never completes in any test's time: the client must give up on it.
            let headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "1024")])
            try await outbound.write(.head(responseHead(.ok, headers, to: head, keepAlive: false)))
            for _ in 0..<1024 {
                try await Task.sleep(for: interval)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: " "))))
            }
            try await outbound.write(.end(nil))
            return false
        }
        return keepAlive
    }

    private func record(_ head: HTTPRequestHead, body: [UInt8], arrival: ContinuousClock.Instant, date: Date) {
        state.record(
            .init(connection: number, arrival: arrival, date: date, method: head.method.rawValue, path: head.uri, headers: head.headers, body: body)
        )
    }

    private func write(_ reply: WebhookSinkReply, to request: HTTPRequestHead, keepAlive: Bool, _ outbound: Writer) async throws {
        var headers = HTTPHeaders(reply.headers)
        // 204 and 304 carry neither a body nor its length.
        if reply.status != .noContent && reply.status != .notModified {
            headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        }
        var parts: [HTTPServerResponsePart] = [.head(responseHead(reply.status, headers, to: request, keepAlive: keepAlive))]
        if !reply.body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(string: reply.body)))) }
        parts.append(.end(nil))
        try await outbound.write(contentsOf: parts)
    }

    /// `{"big":"aaa…a"}`, `bytes` long (or empty for 0), written a part at a time so that it is never whole in
    /// memory; the writer waits while the client does not keep up.
    private func writeBig(bytes: Int, to request: HTTPRequestHead, keepAlive: Bool, _ outbound: Writer) async throws {
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(bytes))])
        try await outbound.write(.head(responseHead(.ok, headers, to: request, keepAlive: keepAlive)))
        let prefix = Array(#"{"big":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        let filler = ByteBuffer(repeating: UInt8(ascii: "a"), count: Self.bigChunkSize)
        var offset = 0
        while offset < bytes {
            let size = min(Self.bigChunkSize, bytes - offset)
            var chunk = filler.getSlice(at: 0, length: size) ?? ByteBuffer(repeating: UInt8(ascii: "a"), count: size)
            if offset == 0 { chunk.setBytes(prefix.prefix(size), at: 0) }
            if offset + size == bytes, size >= suffix.count { chunk.setBytes(suffix, at: size - suffix.count) }
            try await outbound.write(.body(.byteBuffer(chunk)))
            offset += size
        }
        try await outbound.write(.end(nil))
    }

    private func responseHead(
        _ status: HTTPResponseStatus,
        _ headers: HTTPHeaders,
        to request: HTTPRequestHead,
        keepAlive: Bool
    ) -> HTTPResponseHead {
        var headers = headers
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: request.version, status: status, headers: headers)
    }
}

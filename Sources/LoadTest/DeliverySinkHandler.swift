import NIOCore
import NIOHTTP1

/// One connection of ``DeliverySink``: records each POST when its body has arrived and answers 200
/// `{"ok":true}`; answers `GET /stats` (and `DELETE /stats`) with the report; 404 to anything else. Keeps the
/// connection open unless the client asked otherwise.
final class DeliverySinkHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A payload is a few hundred bytes; past this much its timestamp is not looked for (the call still counts).
    static let bodyLimit = 1 << 20

    private static let accepted = ByteBuffer(string: #"{"ok":true}"#)

    private let recorder: DeliverySink.Recorder
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLong = false

    init(recorder: DeliverySink.Recorder) {
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyTooLong = false
        case .body(var buffer):
            guard head?.method == .POST, !bodyTooLong else { return }
            if body.readableBytes + buffer.readableBytes > Self.bodyLimit {
                bodyTooLong = true
            } else {
                body.writeBuffer(&buffer)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let arrival = DeliverySink.now()
            switch (head.method, head.uri) {
            case (.POST, _):
                let timestamp = bodyTooLong ? nil : body.withUnsafeReadableBytes { DeliverySinkTimestamp.epochMilliseconds(inPayload: $0) }
                recorder.record(arrival: arrival, timestamp: timestamp, webhookID: head.headers.first(name: "webhook-id"))
                respond(to: head, status: .ok, body: Self.accepted, context: context)
            case (.GET, "/stats"):
                respond(to: head, status: .ok, body: ByteBuffer(string: recorder.report.jsonLine + "\n"), context: context)
            case (.DELETE, "/stats"):
                respond(to: head, status: .ok, body: ByteBuffer(string: recorder.reset().jsonLine + "\n"), context: context)
            default:
                respond(to: head, status: .notFound, body: ByteBuffer(string: #"{"ok":false}"#), context: context)
            }
        }
    }

    private func respond(to request: HTTPRequestHead, status: HTTPResponseStatus, body: ByteBuffer, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        let keepAlive = request.isKeepAlive
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version.major == 1 && request.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }
}

import NIOCore
import NIOHTTP1

/// Sends one request at a time on a keep-alive connection, records each answer, then sends the next: at once
/// (closed loop) or at the connection's next intended send time (constant rate). Closes the connection when the
/// run is over, on a timeout, or on an error.
final class LoadConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private struct InFlight {
        let request: PlannedRequest
        let intended: NIODeadline
        let sent: NIODeadline
        let check: Bool
    }

    private let driver: ConnectionDriver
    private let measuresFromIntendedTime: Bool
    private var inFlight: InFlight?
    private var status = 0
    private var bodyBytes = 0
    private var body: [UInt8] = []
    private var timeout: Scheduled<Void>?

    init(driver: ConnectionDriver, measuresFromIntendedTime: Bool) {
        self.driver = driver
        self.measuresFromIntendedTime = measuresFromIntendedTime
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        if inFlight != nil { driver.recordError("connection closed with a request in flight") }
        inFlight = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if inFlight != nil { driver.recordError("\(error)") }
        inFlight = nil
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if inFlight?.check == true { body.append(contentsOf: buffer.readableBytesView) }
        case .end:
            finish(context: context)
        }
    }

    private func finish(context: ChannelHandlerContext) {
        guard let inFlight else { return }
        self.inFlight = nil
        timeout?.cancel()
        let now = NIODeadline.now()
        driver.recordResponse(
            inFlight.request,
            status: status,
            bodyBytes: bodyBytes,
            latency: now - (measuresFromIntendedTime ? inFlight.intended : inFlight.sent),
            body: inFlight.check ? body : nil
        )
        status = 0
        bodyBytes = 0
        body.removeAll(keepingCapacity: true)
        sendNext(context: context)
    }

    private func sendNext(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        guard let (request, intended, check) = driver.next(now: now) else {
            context.close(promise: nil)
            return
        }
        if intended <= now {
            send(request, intended: intended, check: check, context: context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: intended) {
            let (handler, context) = bound.value
            guard context.channel.isActive else { return }
            handler.send(request, intended: intended, check: check, context: context)
        }
    }

    private func send(_ request: PlannedRequest, intended: NIODeadline, check: Bool, context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: request.uri)
        head.headers.add(name: "Host", value: driver.plan.hostHeader)
        head.headers.add(name: "X-User-Id", value: request.userID)
        head.headers.add(name: "X-Auth-Token", value: request.token)
        let sent = NIODeadline.now()
        inFlight = InFlight(request: request, intended: intended, sent: sent, check: check)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(deadline: sent + driver.plan.requestTimeout) {
            let (handler, context) = bound.value
            guard handler.inFlight != nil else { return }
            handler.driver.recordError("timeout")
            handler.inFlight = nil
            context.close(promise: nil)
        }
    }
}

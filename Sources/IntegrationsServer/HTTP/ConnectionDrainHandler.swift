import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a keep-alive connection at a moment the client can see coming, when the server drains.
///
/// On `ChannelShouldQuiesceEvent` Hummingbird closes an idle connection at once, which races with a request
/// the client may be sending on it at that instant: the client then sees a reset for a request the server
/// never read. This handler takes the event instead: the next response (or the one in progress) carries
/// `Connection: close` and the connection closes once it is written; a connection that stays idle is closed
/// after `idleGrace`. Under load every connection carries a request within microseconds, so a rolling
/// restart ends every connection with a clean `Connection: close`.
final class ConnectionDrainHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let idleGrace: TimeAmount
    private var requestsInProgress = 0
    private var draining = false
    private var idleClose: Scheduled<Void>?

    init(idleGrace: TimeAmount) {
        self.idleGrace = idleGrace
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            requestsInProgress += 1
            idleClose?.cancel()
            idleClose = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where draining && requestsInProgress == 1:
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end:
            requestsInProgress -= 1
            if draining && requestsInProgress == 0 {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
            } else {
                context.write(data, promise: promise)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        draining = true
        guard requestsInProgress == 0 else { return }
        let channel = context.channel
        idleClose = context.eventLoop.scheduleTask(in: idleGrace) {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleClose?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleClose?.cancel()
        idleClose = nil
        context.fireChannelInactive()
    }
}

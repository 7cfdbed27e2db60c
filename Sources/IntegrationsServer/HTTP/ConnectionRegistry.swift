import NIOCore
import Synchronization

/// The open connections of a server, so that a graceful shutdown can ask each one to finish its request and
/// close (`ChannelShouldQuiesceEvent`, handled by ``ConnectionDrainHandler``). A connection registered after the
/// shutdown began is asked at once.
final class ConnectionRegistry: Sendable {
    private struct State {
        var draining = false
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())

    func add(_ channel: any Channel) {
        let drainNow = state.withLock { state in
            state.connections[ObjectIdentifier(channel)] = channel
            return state.draining
        }
        if drainNow { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }

    func remove(_ channel: any Channel) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Asks every open connection to close once its request in progress (or its next one) is answered.
    func drain() {
        let open = state.withLock { state in
            state.draining = true
            return Array(state.connections.values)
        }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }
}

import IntegrationsStore
import LibPQ
import Logging
import Synchronization

/// Tells the delivery engines of the other processes that deliveries were enqueued, through PostgreSQL's
/// `NOTIFY` on ``channel`` (an empty payload: a hint, as Convoy's), at most once per ``window`` per process:
/// NOTIFY takes a database-wide lock at commit, so one per write would serialize busy writers. A burst gets one
/// notification at its start and one at the end of the window.
public final class DeliveryNotifier: Sendable {
    /// The channel the engines `LISTEN` on.
    public static let channel = "integrations_deliveries"
    static let window: Duration = .milliseconds(20)

    private struct State {
        var lastSent: ContinuousClock.Instant?
        var trailingScheduled = false
    }

    private let deliveries: DeliveryRepository
    private let logger: Logger
    private let state = Mutex(State())

    public init(deliveries: DeliveryRepository, logger: Logger) {
        self.deliveries = deliveries
        self.logger = logger
    }

    public func notifyOthers() {
        let now = ContinuousClock.now
        enum Plan { case send, scheduleTrailing, nothing }
        let plan = state.withLock { state -> Plan in
            if let last = state.lastSent, now - last < Self.window {
                if state.trailingScheduled { return .nothing }
                state.trailingScheduled = true
                return .scheduleTrailing
            }
            state.lastSent = now
            return .send
        }
        switch plan {
        case .nothing:
            return
        case .send:
            Task { await send() }
        case .scheduleTrailing:
            Task {
                try? await Task.sleep(for: Self.window)
                let due = state.withLock { state -> Bool in
                    guard state.trailingScheduled else { return false }
                    state.trailingScheduled = false
                    state.lastSent = ContinuousClock.now
                    return true
                }
                if due { await send() }
            }
        }
    }

    private func send() async {
        do {
            try await deliveries.notifyEngines(channel: Self.channel)
        } catch {
            logger.debug("NOTIFY failed; the other engines find the deliveries at their next poll", metadata: ["error": "\(error)"])
        }
    }
}

import Synchronization

/// Whether the server around the router has begun a graceful shutdown, shared between the server that raises it
/// and the readiness probe that reads it (`/readyz` answers 503 once it is raised).
public final class DrainingFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// The server is draining: from now on `/readyz` answers 503, so that a load balancer stops sending traffic.
    public func raise() {
        raised.store(true, ordering: .releasing)
    }

    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}

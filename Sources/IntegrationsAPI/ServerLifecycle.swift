import Synchronization

/// What the health probes need to know about the server around them: whether it is draining.
public final class ServerLifecycle: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    /// The server has begun a graceful shutdown: `/readyz` answers 503 from now on.
    public func beginDraining() {
        draining.store(true, ordering: .releasing)
    }

    public var isDraining: Bool { draining.load(ordering: .acquiring) }
}

/// How the store tells the delivery engine that a committed write enqueued deliveries: the engine of this
/// process wakes at once (the others learn of it through PostgreSQL's NOTIFY, or their poll).
public struct DeliverySignal: Sendable {
    let wake: @Sendable () -> Void

    public init(_ wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    /// No engine listens (tools, tests of other things): the deliveries wait for whichever engine polls next.
    public static let none = DeliverySignal {}

    /// Calls the wake-up (for signals that combine others).
    public func wakeNow() {
        wake()
    }

    /// Call after the commit of a write that reported `count` enqueued deliveries.
    func enqueued(_ count: Int?) {
        if let count, count > 0 { wake() }
    }
}

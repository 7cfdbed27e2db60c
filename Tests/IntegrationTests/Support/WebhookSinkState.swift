import NIOCore
import Synchronization

/// What a ``WebhookSink``'s connections share with its tests: the recorded requests and those waiting for them,
/// the hold gate and the requests held at it, the accepted connections.
///
/// Waiters are continuations; each is resumed exactly once, outside the lock: by the event it waits for, or at
/// once when its task is cancelled (a deadline or shutdown cancels it).
final class WebhookSinkState: Sendable {
    private struct Books {
        var requests: [WebhookSink.Recorded] = []
        var requestWaiters: [Int: (count: Int, continuation: CheckedContinuation<[WebhookSink.Recorded], Never>)] = [:]
        var holdGateOpen = false
        var held: [Int: CheckedContinuation<Bool, Never>] = [:]
        var connectionCount = 0
        var openChannels: [ObjectIdentifier: any Channel] = [:]
        var nextWaiter = 0

        mutating func waiterID() -> Int {
            nextWaiter += 1
            return nextWaiter
        }
    }

    private let books = Mutex(Books())

    var requests: [WebhookSink.Recorded] { books.withLock { $0.requests } }
    var connectionCount: Int { books.withLock { $0.connectionCount } }
    var heldCount: Int { books.withLock { $0.held.count } }

    // MARK: Requests

    func record(_ request: WebhookSink.Recorded) {
        let (ready, requests) = books.withLock { books in
            books.requests.append(request)
            let ready = books.requestWaiters.filter { $0.value.count <= books.requests.count }
            for id in ready.keys { books.requestWaiters[id] = nil }
            return (ready.values.map(\.continuation), books.requests)
        }
        for continuation in ready { continuation.resume(returning: requests) }
    }

    /// The requests once there are at least `count`, or as they are when the task is cancelled.
    func requests(atLeast count: Int) async -> [WebhookSink.Recorded] {
        let id = books.withLock { $0.waiterID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: [WebhookSink.Recorded]? = books.withLock { books in
                    // Cancellation is flagged before its handler runs: checked under the lock, no waiter is missed.
                    if books.requests.count >= count || Task.isCancelled { return books.requests }
                    books.requestWaiters[id] = (count, continuation)
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let (waiter, requests) = books.withLock { books in (books.requestWaiters.removeValue(forKey: id), books.requests) }
            waiter?.continuation.resume(returning: requests)
        }
    }

    // MARK: Hold gate

    /// Returns true once the hold gate is open, false if the task is cancelled first.
    func passHoldGate() async -> Bool {
        let id = books.withLock { $0.waiterID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Bool? = books.withLock { books in
                    if books.holdGateOpen { return true }
                    if Task.isCancelled { return false }
                    books.held[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            books.withLock { $0.held.removeValue(forKey: id) }?.resume(returning: false)
        }
    }

    func openHoldGate() {
        let held = books.withLock { books in
            books.holdGateOpen = true
            let held = Array(books.held.values)
            books.held = [:]
            return held
        }
        for continuation in held { continuation.resume(returning: true) }
    }

    func closeHoldGate() {
        books.withLock { $0.holdGateOpen = false }
    }

    // MARK: Connections

    /// Counts an accepted connection and keeps its channel until it closes; returns its number, from 1.
    func accepted(_ channel: any Channel) -> Int {
        let number = books.withLock { books in
            books.connectionCount += 1
            books.openChannels[ObjectIdentifier(channel)] = channel
            return books.connectionCount
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.books.withLock { $0.openChannels.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        return number
    }

    /// The connections still open.
    var openChannels: [any Channel] { books.withLock { Array($0.openChannels.values) } }
}

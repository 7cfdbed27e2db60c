import IntegrationsStore
import Synchronization

/// Writes the ends of attempts in batches: the first completion finding no write in progress writes at once
/// (alone, when the engine is quiet), and the completions that arrive meanwhile leave together in its next
/// statement. No timer: one statement (one commit) per batch instead of one per attempt, which is what lets a
/// busy worker complete thousands of attempts a second on one connection.
final class CompletionBatcher: Sendable {
    private struct Waiting {
        let completion: DeliveryRepository.Completion
        let ticket: Ticket
    }

    private struct State {
        var queue: [Waiting] = []
        var writing = false
    }

    /// The most completions in one statement.
    static let batchLimit = 128

    private let deliveries: DeliveryRepository
    private let state = Mutex(State())

    init(deliveries: DeliveryRepository) {
        self.deliveries = deliveries
    }

    /// Ends the attempt; returns whether its lease still held (its result was recorded).
    func complete(_ completion: DeliveryRepository.Completion) async throws(StoreError) -> Bool {
        let ticket = Ticket()
        let leads = state.withLock { state -> Bool in
            state.queue.append(Waiting(completion: completion, ticket: ticket))
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if leads { await writeUntilEmpty() }
        return try await ticket.result().get()
    }

    /// Writes batches until the queue is empty, then hands the role back.
    private func writeUntilEmpty() async {
        while let batch = nextBatch() {
            let outcome: Result<Set<String>, StoreError>
            do {
                outcome = .success(try await deliveries.complete(batch.map(\.completion)))
            } catch {
                outcome = .failure(error)
            }
            for waiting in batch {
                waiting.ticket.resolve(outcome.map { $0.contains(waiting.completion.delivery.leaseToken) })
            }
        }
    }

    private func nextBatch() -> [Waiting]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.writing = false
                return nil
            }
            let batch = Array(state.queue.prefix(Self.batchLimit))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    /// One completion's result, awaited by its caller and resolved by whoever wrote its batch.
    private final class Ticket: Sendable {
        private struct Slot {
            var result: Result<Bool, StoreError>?
            var waiter: CheckedContinuation<Result<Bool, StoreError>, Never>?
        }

        private let slot = Mutex(Slot())

        func resolve(_ result: Result<Bool, StoreError>) {
            let waiter = slot.withLock { slot -> CheckedContinuation<Result<Bool, StoreError>, Never>? in
                slot.result = result
                defer { slot.waiter = nil }
                return slot.waiter
            }
            waiter?.resume(returning: result)
        }

        func result() async -> Result<Bool, StoreError> {
            await withCheckedContinuation { continuation in
                let ready = slot.withLock { slot -> Result<Bool, StoreError>? in
                    if let result = slot.result { return result }
                    slot.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

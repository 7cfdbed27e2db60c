import Foundation

/// Runs blocking work (a socket read, waiting for a child process) on a thread of its own. A test must never
/// block Swift's cooperative pool — two threads on a two-core machine —, or every in-process server and pool
/// of the test process stalls with it, and unrelated tests time out.
func onOwnThread<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

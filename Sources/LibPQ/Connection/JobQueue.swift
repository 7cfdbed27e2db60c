#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a connection's owner thread is asked to do.
enum ConnectionJob: Sendable {
    /// One statement; statements queued together run in one pipeline.
    case statement(BoundStatement, completion: @Sendable (Result<QueryResult, PostgresError>) -> Void)
    /// Exclusive use of the session (transactions, migrations).
    case session(@Sendable (Session) -> Void)
}

/// A first-in first-out queue of jobs that one thread drains, blocking while it is empty.
///
/// `@unchecked Sendable`: every access to `jobs` and `isClosed` happens with `mutex` held.
final class JobQueue: @unchecked Sendable {
    typealias Job = ConnectionJob

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [Job] = []
    private var head = 0
    private var isClosed = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Adds a job; returns `false` (and drops it) when the queue is closed.
    func push(_ job: Job) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isClosed else { return false }
        jobs.append(job)
        pthread_cond_signal(condition)
        return true
    }

    /// Takes up to `limit` jobs in order, waiting for at least one; returns `nil` once the queue is closed and empty.
    func popBatch(limit: Int) -> ArraySlice<Job>? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count && !isClosed {
            pthread_cond_wait(condition, mutex)
        }
        guard head < jobs.count else { return nil }
        let end = min(jobs.count, head + limit)
        let batch = jobs[head..<end]
        head = end
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return batch
    }

    /// Lets the owner finish the jobs already queued, then stop.
    func close() {
        pthread_mutex_lock(mutex)
        isClosed = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}

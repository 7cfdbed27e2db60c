import CLibPQ
import Foundation

/// One PostgreSQL connection and the thread that owns it.
///
/// libpq allows no two threads to use one `PGconn` at a time, and its calls block; so every
/// connection gets a dedicated thread that runs queued jobs one after another, and async callers
/// wait on a continuation. libpq never runs on the HTTP event loops. Switching to libpq's pipeline
/// mode (many queries in flight on one connection) changes only this type.
public final class Connection: Sendable {
    /// A number unique within the process, for logs.
    public let id: Int
    private let jobs: JobQueue

    private init(id: Int, jobs: JobQueue) {
        self.id = id
        self.jobs = jobs
    }

    /// Connects on a new owner thread and prepares every statement of `catalogue`.
    static func connect(id: Int, conninfo: String, catalogue: [PreparedStatement]) async throws -> Connection {
        let jobs = JobQueue()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                guard let pgconn = PQconnectdb(conninfo) else {
                    continuation.resume(throwing: PostgresError(.connectionFailed, message: "out of memory"))
                    return
                }
                // Server notices ("relation already exists, skipping") are not errors; keep them off stderr.
                PQsetNoticeProcessor(pgconn, { _, _ in }, nil)
                let session = Session(connection: pgconn)
                do {
                    guard PQstatus(pgconn) == CONNECTION_OK else {
                        throw PostgresError(.connectionFailed, message: Session.message(of: pgconn))
                    }
                    for statement in catalogue { try session.prepare(statement) }
                } catch {
                    PQfinish(pgconn)
                    continuation.resume(throwing: error)
                    return
                }
                continuation.resume()
                while let job = jobs.pop() { job(session) }
                PQfinish(pgconn)
            }
            thread.name = "libpq-\(id)"
            thread.start()
        }
        return Connection(id: id, jobs: jobs)
    }

    /// Runs `body` on the owner thread with the connection's session.
    public func run<R: Sendable>(_ body: @escaping @Sendable (Session) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let accepted = jobs.push { session in
                continuation.resume(with: Result { try body(session) })
            }
            if !accepted {
                continuation.resume(throwing: PostgresError(.connectionBroken, message: "the connection is closed"))
            }
        }
    }

    /// Closes the connection once the jobs already queued have run.
    func close() {
        jobs.close()
    }
}

import CLibPQ
import Foundation
import Synchronization

/// One PostgreSQL connection and the thread that owns it.
///
/// libpq allows no two threads to use one `PGconn` at a time, and its calls block; so every
/// connection gets a dedicated thread that runs queued jobs, and async callers wait on a continuation.
/// libpq never runs on the HTTP event loops. Single statements queued while the owner was busy go out
/// together in one pipeline (libpq's pipeline mode), so one connection carries many concurrent requests.
public final class Connection: Sendable {
    /// A number unique within the process, for logs.
    public let id: Int
    private let jobs: JobQueue

    private init(id: Int, jobs: JobQueue) {
        self.id = id
        self.jobs = jobs
    }

    /// Connects on a new owner thread, sets `sessionParameters` and prepares every statement of `catalogue`; the
    /// owner counts the pipelines it sends in `counters`.
    static func connect(
        id: Int,
        conninfo: String,
        sessionParameters: [SessionParameter] = [],
        catalogue: [PreparedStatement],
        counters: PipelineCounters
    ) async throws -> Connection {
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
                    for parameter in sessionParameters {
                        _ = try session.execute(sql: "SELECT set_config($1, $2, false)", [parameter.name, parameter.value])
                    }
                    for statement in catalogue { try session.prepare(statement) }
                } catch {
                    PQfinish(pgconn)
                    continuation.resume(throwing: error)
                    return
                }
                continuation.resume()
                while let batch = jobs.popBatch(limit: Connection.pipelineLimit) { session.run(batch, counters: counters) }
                PQfinish(pgconn)
            }
            thread.name = "libpq-\(id)"
            thread.start()
        }
        return Connection(id: id, jobs: jobs)
    }

    /// The most statements the owner sends in one pipeline.
    static let pipelineLimit = 64

    /// Runs a prepared statement on the owner thread. Statements that callers queue while the owner is busy are
    /// sent together in one pipeline when it comes back (see ``Session/executePipeline(_:)``).
    public func execute(_ statement: PreparedStatement, _ parameters: [String?]) async throws -> QueryResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<QueryResult, any Error>) in
            let accepted = jobs.push(
                .statement(BoundStatement(statement, parameters)) { result in
                    continuation.resume(with: result.mapError { $0 })
                }
            )
            if !accepted {
                continuation.resume(throwing: PostgresError(.connectionBroken, message: "the connection is closed"))
            }
        }
    }

    /// Runs `body` on the owner thread with the connection's session, alone.
    public func run<R: Sendable>(_ body: @escaping @Sendable (Session) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let accepted = jobs.push(
                .session { session in
                    continuation.resume(with: Result { try body(session) })
                }
            )
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

extension Session {
    /// Runs a batch of jobs in order: consecutive statements in one pipeline, session jobs alone between them.
    fileprivate func run(_ batch: ArraySlice<ConnectionJob>, counters: PipelineCounters) {
        var statements: [BoundStatement] = []
        var completions: [@Sendable (Result<QueryResult, PostgresError>) -> Void] = []
        func sendStatements() {
            guard !statements.isEmpty else { return }
            if statements.count > 1 { counters.record(statements: statements.count) }
            for (completion, result) in zip(completions, executePipeline(statements)) { completion(result) }
            statements.removeAll(keepingCapacity: true)
            completions.removeAll(keepingCapacity: true)
        }
        for job in batch {
            switch job {
            case .statement(let bound, let completion):
                statements.append(bound)
                completions.append(completion)
            case .session(let body):
                sendStatements()
                body(self)
            }
        }
        sendStatements()
    }
}

/// How many pipelines (of two statements or more) a pool's connections sent, and how many statements they
/// carried: shows whether concurrent requests really share connections.
final class PipelineCounters: Sendable {
    private let pipelines = Atomic(0)
    private let statements = Atomic(0)

    func record(statements count: Int) {
        pipelines.wrappingAdd(1, ordering: .relaxed)
        statements.wrappingAdd(count, ordering: .relaxed)
    }

    var snapshot: (pipelines: Int, statements: Int) {
        (pipelines.load(ordering: .relaxed), statements.load(ordering: .relaxed))
    }
}

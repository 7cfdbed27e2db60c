import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A prepared statement of the catalogue with its bound parameters, for ``Session/executePipeline(_:)``.
public struct BoundStatement: Sendable {
    public let statement: PreparedStatement
    public let parameters: [String?]

    public init(_ statement: PreparedStatement, _ parameters: [String?]) {
        self.statement = statement
        self.parameters = parameters
    }
}

extension Session {
    /// Runs several prepared statements in one pipeline (libpq's pipeline mode): every statement is sent, then
    /// the results are read in order. The batch costs the server one read and the client one write and one
    /// wait, instead of a round trip each. The results are in the order of `statements`, one per statement.
    ///
    /// A statement that writes gets a sync point of its own, so that it commits or fails alone. Consecutive
    /// read-only statements share one (one implicit transaction: a flush and a commit for all of them); if one
    /// of them fails, the server skips the rest of its group, and those run again after the pipeline.
    ///
    /// The connection is non-blocking while the pipeline runs: when libpq cannot send everything at once it
    /// waits for the socket to be writable *or readable*, reading results meanwhile, so that a server blocked on
    /// writing results to us cannot deadlock against us blocked on writing statements to it.
    public func executePipeline(_ statements: [BoundStatement]) -> [Result<QueryResult, PostgresError>] {
        var results = [Result<QueryResult, PostgresError>?](repeating: nil, count: statements.count)
        // Parameters that cannot be sent fail before anything is: the sync points are planned over the rest.
        var sendable: [Int] = []
        for (index, bound) in statements.enumerated() {
            if bound.parameters.contains(where: { $0?.utf8.contains(0) == true }) {
                results[index] = .failure(PostgresError(.invalidParameter, message: "a parameter contains a NUL character"))
            } else {
                sendable.append(index)
            }
        }
        var skipped: [Int] = []
        if sendable.count == 1 {
            skipped = sendable
        } else if sendable.count > 1 {
            if PQenterPipelineMode(connection) == 1 {
                PQsetnonblocking(connection, 1)
                skipped = pipeline(statements, sendable, into: &results)
                PQexitPipelineMode(connection)
                PQsetnonblocking(connection, 0)
            } else {
                skipped = sendable
            }
        }
        // A lone statement, and statements the server skipped because another of their group failed: one at a time.
        for index in skipped {
            let bound = statements[index]
            results[index] = Result { try execute(bound.statement, bound.parameters) }.mapError(Self.postgresError)
        }
        return results.map { $0 ?? .failure(PostgresError(.unexpectedResult, message: "no result for a pipelined statement")) }
    }

    /// Sends `indexes` of `statements` with their sync points and reads their results into `results`; returns
    /// the statements the server skipped (their group aborted), which never ran.
    private func pipeline(
        _ statements: [BoundStatement],
        _ indexes: [Int],
        into results: inout [Result<QueryResult, PostgresError>?]
    ) -> [Int] {
        var syncAfter: [Bool] = []
        syncAfter.reserveCapacity(indexes.count)
        for (position, index) in indexes.enumerated() {
            let readOnly = statements[index].statement.isReadOnly
            let nextReadOnly = position + 1 < indexes.count && statements[indexes[position + 1]].statement.isReadOnly
            let sync = !(readOnly && nextReadOnly)
            do {
                try send(statements[index], sync: sync)
                syncAfter.append(sync)
            } catch {
                // The connection failed us: nothing more is sent, and what was sent cannot be read back.
                for index in indexes { results[index] = .failure(error) }
                return []
            }
        }
        if let failure = flush() {
            for index in indexes { results[index] = .failure(failure) }
            return []
        }
        var skipped: [Int] = []
        for (position, index) in indexes.enumerated() {
            switch readStatement(sync: syncAfter[position]) {
            case .result(let outcome):
                results[index] = outcome
            case .skipped:
                skipped.append(index)
            case .broken(let error):
                for later in indexes[position...] { results[later] = .failure(error) }
                return []
            }
        }
        return skipped
    }

    /// Queues a statement, and a sync point after it when `sync`, in libpq's output buffer.
    private func send(_ bound: BoundStatement, sync: Bool) throws(PostgresError) {
        do {
            try withParameterPointers(bound.parameters) { values in
                let queued = bound.statement.name.withCString { name in
                    PQsendQueryPrepared(connection, name, Int32(values.count), values.baseAddress, nil, nil, 0)
                }
                guard queued == 1, !sync || PQpipelineSync(connection) == 1 else {
                    throw PostgresError(.connectionBroken, message: Session.message(of: connection))
                }
            }
        } catch {
            throw Self.postgresError(error)
        }
    }

    private enum PipelinedOutcome {
        case result(Result<QueryResult, PostgresError>)
        /// The server skipped the statement: an earlier statement of its sync group failed.
        case skipped
        case broken(PostgresError)
    }

    /// Reads one statement's results (up to libpq's end-of-statement `NULL`), and the sync point after it when
    /// one was sent.
    private func readStatement(sync: Bool) -> PipelinedOutcome {
        var outcome: Result<QueryResult, PostgresError>?
        var skipped = false
        while true {
            guard waitUntilNotBusy() else { return .broken(broken()) }
            guard let result = PQgetResult(connection) else { break }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                if outcome == nil { outcome = .success(QueryResult(taking: result)) } else { PQclear(result) }
            case PGRES_PIPELINE_ABORTED:
                PQclear(result)
                skipped = true
            case PGRES_PIPELINE_SYNC:
                PQclear(result)
                return .broken(PostgresError(.connectionBroken, message: "the pipeline lost its place (an early sync point)"))
            default:
                let failure = error(fromFailed: result)
                if outcome == nil { outcome = .failure(failure) }
            }
        }
        if sync {
            guard waitUntilNotBusy() else { return .broken(broken()) }
            guard let result = PQgetResult(connection) else { return .broken(broken()) }
            let status = PQresultStatus(result)
            PQclear(result)
            guard status == PGRES_PIPELINE_SYNC else {
                return .broken(PostgresError(.connectionBroken, message: "the pipeline lost its place (result status \(status.rawValue))"))
            }
        }
        if skipped { return .skipped }
        return .result(outcome ?? .failure(PostgresError(.unexpectedResult, message: "a pipelined statement returned nothing")))
    }

    /// Sends what libpq buffered, reading input whenever the socket is readable meanwhile; the error if the
    /// connection broke.
    private func flush() -> PostgresError? {
        while true {
            switch PQflush(connection) {
            case 0:
                return nil
            case 1:
                guard let readable = waitForSocket(write: true) else { return broken() }
                if readable, PQconsumeInput(connection) == 0 { return broken() }
            default:
                return broken()
            }
        }
    }

    /// Reads input until libpq has a whole result; `false` when the connection broke.
    private func waitUntilNotBusy() -> Bool {
        while PQisBusy(connection) == 1 {
            guard waitForSocket(write: false) != nil, PQconsumeInput(connection) == 1 else { return false }
        }
        return true
    }

    /// Waits until the socket is readable (or, with `write`, writable); whether it is readable, or `nil` on error.
    private func waitForSocket(write: Bool) -> Bool? {
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN) | (write ? Int16(POLLOUT) : 0), revents: 0)
        guard descriptor.fd >= 0 else { return nil }
        while true {
            let ready = poll(&descriptor, 1, -1)
            if ready > 0 { return descriptor.revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 || !write }
            if ready < 0, errno == EINTR { continue }
            return nil
        }
    }

    private func broken() -> PostgresError {
        PostgresError(.connectionBroken, message: Session.message(of: connection))
    }

    private static func postgresError(_ error: any Error) -> PostgresError {
        (error as? PostgresError) ?? PostgresError(.unexpectedResult, message: "\(error)")
    }
}

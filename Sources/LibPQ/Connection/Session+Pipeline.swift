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
    /// Runs several prepared statements in one pipeline (libpq's pipeline mode): every statement is sent, each
    /// followed by a sync point so that one failing does not abort the others, then the results are read in
    /// order. The batch costs the server one read and the client one write and one wait, instead of a round
    /// trip each. The results are in the order of `statements`, one per statement.
    ///
    /// The connection is non-blocking while the pipeline runs: when libpq cannot send everything at once it
    /// waits for the socket to be writable *or readable*, reading results meanwhile, so that a server blocked on
    /// writing results to us cannot deadlock against us blocked on writing statements to it.
    public func executePipeline(_ statements: [BoundStatement]) -> [Result<QueryResult, PostgresError>] {
        if statements.count == 1 {
            return [Result { try execute(statements[0].statement, statements[0].parameters) }.mapError(Self.postgresError)]
        }
        guard !statements.isEmpty else { return [] }
        guard PQenterPipelineMode(connection) == 1 else {
            return statements.map { bound in Result { try execute(bound.statement, bound.parameters) }.mapError(Self.postgresError) }
        }
        PQsetnonblocking(connection, 1)
        defer {
            PQexitPipelineMode(connection)
            PQsetnonblocking(connection, 0)
        }

        var results = [Result<QueryResult, PostgresError>?](repeating: nil, count: statements.count)
        var sent: [Int] = []
        sent.reserveCapacity(statements.count)
        for (index, bound) in statements.enumerated() {
            do {
                try send(bound)
                sent.append(index)
            } catch {
                results[index] = .failure(Self.postgresError(error))
                // A send that failed for the connection (not for its parameters) fails everything after it.
                if error.code != .invalidParameter {
                    for later in (index + 1)..<statements.count { results[later] = .failure(error) }
                    break
                }
            }
        }

        if let failure = flush() {
            for index in sent { results[index] = .failure(failure) }
            return results.map { $0 ?? .failure(failure) }
        }
        for (position, index) in sent.enumerated() {
            let outcome = readOneStatement()
            results[index] = outcome
            if case .failure(let error) = outcome, error.code == .connectionBroken {
                for later in sent[(position + 1)...] { results[later] = .failure(error) }
                break
            }
        }
        return results.map { $0 ?? .failure(PostgresError(.unexpectedResult, message: "no result for a pipelined statement")) }
    }

    /// Queues a statement and its sync point in libpq's output buffer.
    private func send(_ bound: BoundStatement) throws(PostgresError) {
        do {
            try withParameterPointers(bound.parameters) { values in
                let queued = bound.statement.name.withCString { name in
                    PQsendQueryPrepared(connection, name, Int32(values.count), values.baseAddress, nil, nil, 0)
                }
                guard queued == 1, PQpipelineSync(connection) == 1 else {
                    throw PostgresError(.connectionBroken, message: Session.message(of: connection))
                }
            }
        } catch {
            throw Self.postgresError(error)
        }
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

    /// Reads one statement's results (up to libpq's end-of-statement `NULL`) and the sync point after it.
    private func readOneStatement() -> Result<QueryResult, PostgresError> {
        var outcome: Result<QueryResult, PostgresError>?
        while true {
            guard waitUntilNotBusy() else { return .failure(broken()) }
            guard let result = PQgetResult(connection) else { break }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                if outcome == nil { outcome = .success(QueryResult(taking: result)) } else { PQclear(result) }
            case PGRES_PIPELINE_SYNC:
                // Only when the statement produced no result at all: its sync point is already here.
                PQclear(result)
                return outcome ?? .failure(PostgresError(.unexpectedResult, message: "a pipelined statement returned nothing"))
            default:
                let failure = error(fromFailed: result)
                if outcome == nil { outcome = .failure(failure) }
            }
        }
        // The sync point that follows the statement.
        guard waitUntilNotBusy() else { return .failure(broken()) }
        guard let sync = PQgetResult(connection) else { return .failure(broken()) }
        let status = PQresultStatus(sync)
        PQclear(sync)
        guard status == PGRES_PIPELINE_SYNC else {
            return .failure(PostgresError(.connectionBroken, message: "the pipeline lost its place (result status \(status.rawValue))"))
        }
        return outcome ?? .failure(PostgresError(.unexpectedResult, message: "a pipelined statement returned nothing"))
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

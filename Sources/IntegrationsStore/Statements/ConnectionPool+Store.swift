import LibPQ

extension ConnectionPool {
    /// Runs a statement of the catalogue, turning the client's errors into ``StoreError``s.
    func run(_ statement: PreparedStatement, _ parameters: [String?]) async throws(StoreError) -> QueryResult {
        do {
            return try await query(statement, parameters)
        } catch {
            throw StoreError(error)
        }
    }

    /// Runs `body` on one connection's session, turning the client's errors into ``StoreError``s.
    func session<R: Sendable>(_ body: @escaping @Sendable (Session) throws -> R) async throws(StoreError) -> R {
        do {
            return try await withSession(body)
        } catch {
            throw StoreError(error)
        }
    }
}

extension StoreError {
    /// Any error of the client or of a session's body, classified.
    init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? PostgresError {
            self.init(error)
        } else {
            self.init(kind: .failed, message: "\(error)")
        }
    }
}

import LibPQ

/// A failure of the store, classified for the layers above, which know nothing of libpq.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database cannot be reached (down, restarting, or no connection within the acquire timeout).
        case unavailable
        /// A unique constraint refused the write (a taken username, an existing id).
        case conflict
        /// PostgreSQL refused the document itself: not JSON, a `\u0000` it cannot store, a missing `_id`,
        /// an unknown `type`.
        case invalidDocument
        /// Anything else: a bug or a schema mismatch, to be logged.
        case failed
    }

    public let kind: Kind
    /// The PostgreSQL client's error, for the logs.
    public let underlying: PostgresError

    init(_ error: PostgresError) {
        underlying = error
        kind = switch error.sqlState {
        case _ where error.isUnavailable: .unavailable
        case "23505": .conflict
        // invalid_text_representation, untranslatable_character, not_null_violation, check_violation
        case "22P02", "22P05", "23502", "23514": .invalidDocument
        default: .failed
        }
    }

    public var description: String { "\(kind): \(underlying)" }
}

extension ConnectionPool {
    /// Runs a statement of the catalogue, turning the client's errors into ``StoreError``s.
    func run(_ statement: PreparedStatement, _ parameters: [String?]) async throws(StoreError) -> QueryResult {
        do {
            return try await query(statement, parameters)
        } catch let error as PostgresError {
            throw StoreError(error)
        } catch {
            throw StoreError(PostgresError(.unexpectedResult, message: "\(error)"))
        }
    }
}

extension ConnectionPool {
    /// Runs `body` on one connection's session, turning the client's errors into ``StoreError``s.
    func session<R: Sendable>(_ body: @escaping @Sendable (Session) throws -> R) async throws(StoreError) -> R {
        do {
            return try await withSession(body)
        } catch let error as PostgresError {
            throw StoreError(error)
        } catch {
            throw StoreError(PostgresError(.unexpectedResult, message: "\(error)"))
        }
    }
}

import LibPQ

/// A failure of the store, classified for the layers above, which know nothing of libpq.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database cannot be reached (down, restarting, or no connection within the acquire timeout).
        case unavailable
        /// A unique constraint refused the write (a taken username, an existing id).
        case conflict
        /// PostgreSQL refused a value of the document itself: not JSON, a `\u0000` it cannot store, a number
        /// beyond its range, a missing `_id`, an unknown `type`.
        case invalidDocument
        /// Anything else: a bug or a schema mismatch, to be logged.
        case failed
    }

    public let kind: Kind
    /// What went wrong, for the logs and the command line (PostgreSQL's message, or the client's); never shown
    /// to API clients.
    public let message: String
    /// The SQLSTATE, when PostgreSQL raised the error.
    public let sqlState: String?

    init(kind: Kind, message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    init(_ error: PostgresError) {
        let kind: Kind =
            switch error.sqlState {
            case _ where error.isUnavailable: .unavailable
            case "23505": .conflict
            // invalid_text_representation, untranslatable_character, numeric_value_out_of_range, not_null_violation,
            // check_violation
            case "22P02", "22P05", "22003", "23502", "23514": .invalidDocument
            default: .failed
            }
        self.init(kind: kind, message: error.message, sqlState: error.sqlState)
    }

    /// A statement answered in a shape its repository does not expect: a bug, answered 500.
    static func unexpectedResult(of statement: PreparedStatement, _ detail: String) -> StoreError {
        StoreError(kind: .failed, message: "\(statement.name) returned \(detail)")
    }

    public var description: String {
        if let sqlState { return "\(kind) [\(sqlState)]: \(message)" }
        return "\(kind): \(message)"
    }
}

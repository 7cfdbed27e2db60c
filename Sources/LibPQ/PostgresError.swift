/// An error of the PostgreSQL client, with a stable ``Code`` and, for server errors, the SQLSTATE.
///
/// Equality compares codes only, so callers can match `error.code == .acquireTimeout`.
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, independent of the message text.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration, connectionFailed, connectionBroken, serverError
            case invalidParameter, unexpectedResult, acquireTimeout, poolClosed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection string could not be parsed.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A new connection could not be established.
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke while it was used; the connection is discarded.
        public static let connectionBroken = Code(.connectionBroken)
        /// The server answered with an error; ``PostgresError/sqlState`` holds its SQLSTATE.
        public static let serverError = Code(.serverError)
        /// A parameter cannot be sent (for example, it contains a NUL character).
        public static let invalidParameter = Code(.invalidParameter)
        /// The server's answer did not have the expected shape.
        public static let unexpectedResult = Code(.unexpectedResult)
        /// No connection became available before the pool's acquire timeout.
        public static let acquireTimeout = Code(.acquireTimeout)
        /// The pool has been shut down.
        public static let poolClosed = Code(.poolClosed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The SQLSTATE of a server error (for example `23505` for a unique violation).
    public var sqlState: String?
    /// A human-readable message; never shown to API clients.
    public var message: String

    public init(_ code: Code, message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    /// Whether the server might be unreachable or restarting, so that the caller should answer "unavailable".
    public var isUnavailable: Bool {
        switch code {
        case .connectionFailed, .connectionBroken, .acquireTimeout, .poolClosed: true
        default: sqlState.map { $0.hasPrefix("08") || $0.hasPrefix("57P") } ?? false
        }
    }

    public var description: String {
        if let sqlState { return "\(code) [\(sqlState)]: \(message)" }
        return "\(code): \(message)"
    }

    public static func == (lhs: PostgresError, rhs: PostgresError) -> Bool { lhs.code == rhs.code }
}

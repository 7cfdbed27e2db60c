import CLibPQ
import Foundation

/// The synchronous view of one connection, valid only on the thread that owns it.
///
/// A ``Connection`` hands its session to the closures it runs; code that needs several statements
/// on one connection (a transaction, the migrations) receives it through ``ConnectionPool/withSession(_:)``.
public final class Session {
    let connection: OpaquePointer

    init(connection: OpaquePointer) {
        self.connection = connection
    }

    /// Whether libpq considers the connection unusable.
    public var isBroken: Bool { PQstatus(connection) != CONNECTION_OK }

    /// Runs a statement that this connection has prepared, binding `parameters` in text format.
    public func execute(_ statement: PreparedStatement, _ parameters: [String?]) throws -> QueryResult {
        try withParameterPointers(parameters) { values in
            let result = statement.name.withCString { name in
                PQexecPrepared(connection, name, Int32(values.count), values.baseAddress, nil, nil, 0)
            }
            return try check(result)
        }
    }

    /// Runs one statement with bound parameters without preparing it first: for rare statements (the
    /// migrations' bookkeeping) that cannot be in a catalogue, for example because their tables do not exist yet.
    public func execute(sql: String, _ parameters: [String?]) throws -> QueryResult {
        try withParameterPointers(parameters) { values in
            let result = sql.withCString { text in
                PQexecParams(connection, text, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
            return try check(result)
        }
    }

    /// Runs SQL text with no parameters, possibly several statements (migrations, `BEGIN`, `COMMIT`).
    /// Never pass text that contains input: use ``execute(_:_:)`` for that.
    public func executeScript(_ sql: String) throws {
        let result = sql.withCString { PQexec(connection, $0) }
        _ = try check(result)
    }

    /// Runs `body` in a transaction: `COMMIT` when it returns, `ROLLBACK` when it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try executeScript("BEGIN")
        do {
            let value = try body()
            try executeScript("COMMIT")
            return value
        } catch {
            if !isBroken { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    func prepare(_ statement: PreparedStatement) throws {
        let result = statement.name.withCString { name in
            statement.sql.withCString { sql in PQprepare(connection, name, sql, 0, nil) }
        }
        _ = try check(result)
    }

    private func check(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresError(isBroken ? .connectionBroken : .unexpectedResult, message: Session.message(of: connection))
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return QueryResult(taking: result)
        default:
            throw error(fromFailed: result)
        }
    }

    /// The error a failed result reports (its SQLSTATE and message); clears the result.
    func error(fromFailed result: OpaquePointer) -> PostgresError {
        let status = PQresultStatus(result)
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
        PQclear(result)
        let trimmed = message.isEmpty ? "the statement did not complete (result status \(status.rawValue))" : Session.trimmed(message)
        return PostgresError(isBroken ? .connectionBroken : .serverError, message: trimmed, sqlState: sqlState)
    }

    static func message(of connection: OpaquePointer) -> String {
        trimmed(PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown error")
    }

    /// libpq's messages end with a newline and may span lines ("…refused\n\tIs the server running…"): one line for logs.
    private static func trimmed(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

/// Lays the parameters out as NUL-terminated strings in one buffer and passes libpq an array of pointers into it.
func withParameterPointers<R>(
    _ parameters: [String?],
    _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) throws -> R
) throws -> R {
    var storage: [CChar] = []
    var offsets: [Int?] = []
    offsets.reserveCapacity(parameters.count)
    for parameter in parameters {
        guard let parameter else {
            offsets.append(nil)
            continue
        }
        offsets.append(storage.count)
        for byte in parameter.utf8 {
            guard byte != 0 else {
                throw PostgresError(.invalidParameter, message: "a parameter contains a NUL character")
            }
            storage.append(CChar(bitPattern: byte))
        }
        storage.append(0)
    }
    return try storage.withUnsafeBufferPointer { bytes in
        let pointers = offsets.map { offset in offset.flatMap { offset in bytes.baseAddress.map { UnsafePointer($0 + offset) } } }
        return try pointers.withUnsafeBufferPointer(body)
    }
}

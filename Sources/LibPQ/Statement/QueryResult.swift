import CLibPQ

/// The rows of a successful statement, read in place from libpq's result without copying.
///
/// A `PGresult` is immutable once libpq has built it and may be read from any thread
/// (libpq documentation, "Behavior in Threaded Programs"), which is why this wrapper is `Sendable`.
public final class QueryResult: @unchecked Sendable {
    private let result: OpaquePointer

    init(taking result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    public var rowCount: Int { Int(PQntuples(result)) }
    public var columnCount: Int { Int(PQnfields(result)) }
    /// The number of rows an `INSERT`, `UPDATE` or `DELETE` touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// Whether a cell is SQL `NULL`; a cell outside the result (no such row or column) counts as `NULL`, so that
    /// reading the first row of an empty result gives `nil` instead of trapping.
    public func isNull(row: Int, column: Int) -> Bool {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return true }
        return PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    /// Calls `body` with the raw text bytes of a cell, or returns `nil` for SQL `NULL`.
    /// The bytes are valid only inside `body`.
    public func withBytes<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        if isNull(row: row, column: column) { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        return try body(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// The text value of a cell, or `nil` for SQL `NULL`.
    public func string(row: Int, column: Int) -> String? {
        withBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The value of an integer cell, or `nil` for SQL `NULL` or non-integer text.
    public func int(row: Int, column: Int) -> Int? {
        string(row: row, column: column).flatMap { Int($0) }
    }

    /// The value of a boolean cell (`t`/`f` in text format), or `nil` for SQL `NULL`.
    public func bool(row: Int, column: Int) -> Bool? {
        withBytes(row: row, column: column) { $0.first == UInt8(ascii: "t") }
    }
}

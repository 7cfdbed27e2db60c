import LibPQ

/// The first column of a statement that decides in SQL whether it may act: `ok`, or a ``Refusal``.
enum Verdict: Equatable {
    case ok
    case refused(Refusal)

    /// The name of `ok` in the statements' first column.
    static let okName = "ok"
    /// `'ok'`, for the statements' `CASE … THEN` arms and their `WHERE outcome = 'ok'` guards.
    static let okLiteral = "'\(okName)'"

    /// Reads the verdict in row 0, column 0 of `result`; a missing row or an unknown name is a bug of the statement.
    init(_ result: QueryResult, of statement: PreparedStatement) throws(StoreError) {
        guard result.rowCount == 1, let name = result.string(row: 0, column: 0) else {
            throw .unexpectedResult(of: statement, "\(result.rowCount) rows or a NULL verdict")
        }
        if name == Self.okName {
            self = .ok
        } else if let refusal = Refusal(rawValue: name) {
            self = .refused(refusal)
        } else {
            throw .unexpectedResult(of: statement, "the verdict \(name)")
        }
    }

    /// The outcome of a statement whose verdict is all it returns or whose result `value` reads on success.
    func outcome<Value>(_ value: () -> Value) -> Outcome<Value> {
        switch self {
        case .ok: .done(value())
        case .refused(let refusal): .refused(refusal)
        }
    }
}

import IntegrationsStore
import LibPQ
import Testing

/// The catalogue's marks, read off the SQL text: consecutive read-only statements of a pipeline share one sync
/// point (one implicit transaction), so a statement marked read-only that writes could lose its write to
/// another request's failure, and a pure SELECT left unmarked costs a sync point of its own for nothing.
@Suite struct StatementCatalogueTests {
    @Test func everyStatementMarkedReadOnlyIsAPureSelectAndEveryPureSelectIsMarked() {
        for statement in StatementCatalogue.statements {
            #expect(
                statement.isReadOnly == SQLText(statement.sql).isPureSelect,
                "\(statement.name): isReadOnly is \(statement.isReadOnly), but its SQL \(SQLText(statement.sql).isPureSelect ? "only reads" : "writes or locks")"
            )
        }
    }

    @Test func namesAreUnique() {
        let names = StatementCatalogue.statements.map(\.name)
        #expect(Set(names).count == names.count, "\(Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
    }

    /// PostgreSQL refuses to prepare a statement whose parameters skip a number.
    @Test func parametersAreNumberedFromOneWithoutGaps() {
        for statement in StatementCatalogue.statements {
            let numbers = SQLText(statement.sql).parameterNumbers
            #expect(numbers.isEmpty || numbers == Set(1...(numbers.max() ?? 0)), "\(statement.name): parameters \(numbers.sorted())")
        }
    }

    @Test func theClassifierTellsReadsFromWrites() {
        #expect(SQLText("SELECT 1").isPureSelect)
        #expect(SQLText("WITH a AS (SELECT updated_at FROM t) SELECT * FROM a WHERE x = 'DELETE'").isPureSelect)
        #expect(!SQLText("WITH a AS (DELETE FROM t RETURNING id) SELECT count(*) FROM a").isPureSelect)
        #expect(!SQLText("SELECT id FROM t FOR UPDATE").isPureSelect)
        #expect(!SQLText("SELECT id FROM t FOR SHARE").isPureSelect)
        #expect(!SQLText("SELECT nextval('s')").isPureSelect)
        #expect(!SQLText("INSERT INTO t VALUES (1)").isPureSelect)
        #expect(!SQLText("UPDATE t SET a = 1").isPureSelect)
        #expect(SQLText("SELECT $1, $2::int, '$3'").parameterNumbers == [1, 2])
        #expect(SQLText("SELECT 1 -- INSERT comes later\n").isPureSelect)
        #expect(!SQLText("-- SELECT\nDELETE FROM t").isPureSelect)
    }
}

/// SQL text as words, with string literals, quoted identifiers and `--` comments left out (the catalogue uses
/// no `$$` quoting and no block comments).
struct SQLText {
    let words: [String]
    let parameterNumbers: Set<Int>

    /// Words that make a statement write, lock or change the session.
    static let writing: Set<String> = [
        "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "CREATE", "ALTER", "DROP", "GRANT", "REVOKE",
        "VACUUM", "ANALYZE", "LOCK", "CALL", "DO", "SHARE", "NEXTVAL", "SETVAL", "SET_CONFIG", "PG_NOTIFY",
        "PG_ADVISORY_LOCK", "PG_ADVISORY_XACT_LOCK",
    ]

    init(_ sql: String) {
        var words: [String] = []
        var parameters: Set<Int> = []
        var word = ""
        var quote: Character?
        var afterDollar = false
        var number = ""
        func endWord() {
            if !word.isEmpty { words.append(word.uppercased()) }
            word = ""
            if afterDollar, let value = Int(number) { parameters.insert(value) }
            afterDollar = false
            number = ""
        }
        var comment = false
        var previous: Character?
        for character in sql {
            defer { previous = character }
            if comment {
                if character == "\n" { comment = false }
                continue
            }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "-", previous == "-" {
                word = ""
                comment = true
                continue
            }
            if afterDollar, character.isNumber {
                number.append(character)
                continue
            }
            if character == "'" || character == "\"" {
                endWord()
                quote = character
            } else if character == "$" {
                endWord()
                afterDollar = true
            } else if character.isLetter || character.isNumber || character == "_" {
                if afterDollar { endWord() }
                word.append(character)
            } else {
                endWord()
            }
        }
        endWord()
        self.words = words
        parameterNumbers = parameters
    }

    /// A SELECT (or a WITH whose parts all select) that neither writes nor locks rows.
    var isPureSelect: Bool {
        guard let first = words.first, first == "SELECT" || first == "WITH" else { return false }
        return !words.contains(where: Self.writing.contains)
    }
}

import IntegrationsCore

/// Generates JSON documents that stress an exact round trip: numbers beyond `Double` (long integers, long
/// fractions, huge and tiny exponents, `-0`, trailing zeros), strings with escapes, control characters,
/// `\u2028`, right-to-left text, combining marks and astral characters, deep nesting. Seeded, so a failure
/// can be replayed.
struct JSONGenerator {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    static let trickyNumbers = [
        "12345678901234567890123", "0.1000000000000000055511151231257827", "1.50", "-0", "1e400", "-1.5E-10", "0",
        "9007199254740993", "1E+2", "-0.0", "123456789012345678901234567890.123456789", "1e-300", "5e-324", "1.7976931348623157e308",
    ]

    static let fragments: [String] = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "é", "ß", "שלום", "مرحبا",
        "日本語", "🚀", "👩‍👩‍👧", "\u{301}", "\u{FEFF}", "\u{FFFF}", "𝄞", "{", "}", "[", "]", ":", ",", "null", "true", "1e3",
    ]

    mutating func value(depth: Int = 0) -> JSONValue {
        let leaf = depth >= 5 || random.next(upTo: 3) == 0
        if leaf {
            switch random.next(upTo: 6) {
            case 0: return .null
            case 1: return .bool(random.next(upTo: 2) == 0)
            case 2, 3: return .number(number())
            default: return .string(string())
            }
        }
        if random.next(upTo: 2) == 0 {
            return .array((0..<random.next(upTo: 5)).map { _ in value(depth: depth + 1) })
        }
        var keys = Set<String>()
        var members: [(key: String, value: JSONValue)] = []
        for _ in 0..<random.next(upTo: 6) {
            let key = string()
            guard keys.insert(key).inserted else { continue }
            members.append((key, value(depth: depth + 1)))
        }
        return .object(members)
    }

    /// Arrays and objects nested `levels` deep around a tricky number.
    mutating func deep(levels: Int) -> JSONValue {
        var value = JSONValue.number(Self.trickyNumbers[random.next(upTo: Self.trickyNumbers.count)])
        for level in 0..<levels {
            value = level % 2 == 0 ? .array([value, .string(string())]) : .object([("k\(level)", value)])
        }
        return value
    }

    private mutating func number() -> String {
        if random.next(upTo: 3) == 0 { return Self.trickyNumbers[random.next(upTo: Self.trickyNumbers.count)] }
        var literal = random.next(upTo: 2) == 0 ? "-" : ""
        let integerDigits = 1 + random.next(upTo: 30)
        literal += integerDigits == 1 ? String(random.next(upTo: 10)) : String(1 + random.next(upTo: 9)) + digits(integerDigits - 1)
        if random.next(upTo: 2) == 0 { literal += "." + digits(1 + random.next(upTo: 25)) }
        if random.next(upTo: 3) == 0 {
            literal += ["e", "E", "e+", "e-", "E-"][random.next(upTo: 5)] + String(random.next(upTo: 300))
        }
        return literal
    }

    private mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(random.next(upTo: 10))) })
    }

    private mutating func string() -> String {
        (0..<random.next(upTo: 8)).map { _ in Self.fragments[random.next(upTo: Self.fragments.count)] }.joined()
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

/// JSON value equality as the round-trip guarantee states it: object key order aside, and numbers compared
/// as exact decimals (`1e2` = `100`, `-0` = `0`, `1.50` = `1.5`), never through a `Double`.
enum JSONEquality {
    static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.number(let a), .number(let b)): return Decimal(a) == Decimal(b)
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy(same)
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            let right = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            return a.allSatisfy { member in right[member.key].map { same(member.value, $0) } ?? false }
        default: return false
        }
    }

    /// A number literal as sign, significant digits and exponent: value = digits × 10^exponent.
    struct Decimal: Equatable {
        let negative: Bool
        let digits: [UInt8]
        let exponent: Int

        init(_ literal: String) {
            var text = Substring(literal)
            var negative = false
            if text.first == "-" {
                negative = true
                text = text.dropFirst()
            }
            var exponent = 0
            if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                exponent = Int(text[text.index(after: marker)...]) ?? 0
                text = text[..<marker]
            }
            var digits: [UInt8] = []
            if let dot = text.firstIndex(of: ".") {
                exponent -= text.distance(from: dot, to: text.endIndex) - 1
                text.remove(at: dot)
            }
            digits = text.utf8.map { $0 - UInt8(ascii: "0") }
            while digits.first == 0 { digits.removeFirst() }
            while digits.last == 0 {
                digits.removeLast()
                exponent += 1
            }
            if digits.isEmpty {
                negative = false
                exponent = 0
            }
            self.negative = negative
            self.digits = digits
            self.exponent = exponent
        }
    }
}

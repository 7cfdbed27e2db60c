/// A strict JSON parser (RFC 8259) into ``JSONValue``: numbers kept as text, nesting and size bounded,
/// and `\u0000` refused, since PostgreSQL's jsonb cannot store it.
public struct JSONParser {
    /// Why a text is not acceptable JSON; `description` names the problem and its byte offset.
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public enum Reason: Sendable, Equatable {
            case syntax, tooDeep, nulCharacter, invalidUTF8
        }
        public let reason: Reason
        public let offset: Int

        public var description: String {
            switch reason {
            case .syntax: "invalid JSON at byte \(offset)"
            case .tooDeep: "JSON nested deeper than \(JSONParser.maximumDepth) levels at byte \(offset)"
            case .nulCharacter: "JSON string contains \\u0000 (at byte \(offset)), which PostgreSQL cannot store"
            case .invalidUTF8: "JSON text is not valid UTF-8 (at byte \(offset))"
            }
        }
    }

    /// Deeper documents are refused (PostgreSQL accepts far more; 512 keeps the recursion bounded).
    public static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON text (surrounding whitespace allowed).
    public static func parse<Bytes: Collection>(_ input: Bytes) throws(Failure) -> JSONValue where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(input))
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw Failure(reason: .syntax, offset: parser.index) }
        return value
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw fail(.syntax) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return .number(try number())
        }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if take(UInt8(ascii: "}")) {
            depth -= 1
            return .object(members)
        }
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail(.syntax) }
            let key = try string()
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { throw fail(.syntax) }
            skipWhitespace()
            members.append((key, try value()))
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw fail(.syntax) }
        depth -= 1
        return .object(members)
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) {
            depth -= 1
            return .array(elements)
        }
        repeat {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { throw fail(.syntax) }
        depth -= 1
        return .array(elements)
    }

    private mutating func string() throws(Failure) -> String {
        index += 1  // opening quote
        var output: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail(.syntax) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: output, as: UTF8.self) else { throw fail(.invalidUTF8) }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail(.syntax) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): output.append(0x22)
                case UInt8(ascii: "\\"): output.append(0x5C)
                case UInt8(ascii: "/"): output.append(0x2F)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")) else { throw fail(.syntax) }
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail(.syntax) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail(.syntax)
                    }
                    guard scalar != 0 else { throw Failure(reason: .nulCharacter, offset: index - 6) }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail(.syntax) }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw Failure(reason: .syntax, offset: index - 1)
                }
            case 0x00..<0x20:
                throw fail(.syntax)
            default:
                output.append(byte)
                index += 1
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.syntax) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail(.syntax)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
    private mutating func number() throws(Failure) -> String {
        let start = index
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
        } else {
            guard digits() > 0 else { throw fail(.syntax) }
        }
        if take(UInt8(ascii: ".")) {
            guard digits() > 0 else { throw fail(.syntax) }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard digits() > 0 else { throw fail(.syntax) }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw fail(.syntax)
        }
        index += expected.count
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail(.tooDeep) }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    private func fail(_ reason: Failure.Reason) -> Failure {
        Failure(reason: reason, offset: index)
    }
}

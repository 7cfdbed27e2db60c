/// One key of a Rocket.Chat `sort` parameter (`{"name": 1, "_createdAt": -1}`), restricted to a whitelist.
public struct SortKey: Sendable, Equatable {
    /// The field's path inside the stored document (`["_createdBy", "_id"]` for `_createdBy._id`).
    public let path: [String]
    public let ascending: Bool

    public init(path: [String], ascending: Bool) {
        self.path = path
        self.ascending = ascending
    }

    /// The fields `integrations.list` sorts on.
    public static let integrationFields: Set<String> = [
        "_id", "name", "type", "enabled", "username", "event", "_createdAt", "_updatedAt", "_createdBy._id",
        "_createdBy.username",
    ]

    /// The fields `integrations.history` sorts on.
    public static let historyFields: Set<String> = ["_id", "type", "step", "event", "_createdAt", "_updatedAt", "url"]

    /// The most keys one `sort` may hold.
    public static let maximumKeys = 3

    /// The sort parameter is not a flat JSON object of whitelisted fields mapped to `1` or `-1`.
    public struct Invalid: Error {}

    /// Parses a `sort` parameter, keeping the order of its keys.
    public static func parse(_ text: String, allowedFields: Set<String>) throws(Invalid) -> [SortKey] {
        var parser = FlatObjectParser(Array(text.utf8))
        guard let members = parser.parse(), !members.isEmpty, members.count <= maximumKeys else { throw Invalid() }
        var keys: [SortKey] = []
        for (field, value) in members {
            guard allowedFields.contains(field), value == 1 || value == -1 else { throw Invalid() }
            guard !keys.contains(where: { $0.path.joined(separator: ".") == field }) else { throw Invalid() }
            keys.append(SortKey(path: field.split(separator: ".").map(String.init), ascending: value == 1))
        }
        return keys
    }
}

/// Reads a JSON object whose values are numbers, keeping member order (which `JSONSerialization` loses).
private struct FlatObjectParser {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parse() -> [(String, Double)]? {
        var members: [(String, Double)] = []
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return atEnd() ? members : nil }
        repeat {
            skipWhitespace()
            guard let key = string() else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard let value = number() else { return nil }
            members.append((key, value))
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        return atEnd() ? members : nil
    }

    private mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// A string without escapes: field names never need them, and anything else is refused anyway.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        let value = bytes[start..<index]
        guard take(UInt8(ascii: "\"")) else { return nil }
        return String(validating: value, as: UTF8.self)
    }

    /// A JSON number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`), as `JSON.parse` reads it: `1.0` and
    /// `-1e0` are 1 and -1; `01` and `+1` are not JSON.
    private mutating func number() -> Double? {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - first
        }
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            guard index >= bytes.count || !(bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")) else { return nil }
        } else if digits() == 0 {
            return nil
        }
        if take(UInt8(ascii: ".")), digits() == 0 { return nil }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            _ = take(UInt8(ascii: "+")) || take(UInt8(ascii: "-"))
            guard digits() > 0 else { return nil }
        }
        return Double(String(decoding: bytes[start..<index], as: UTF8.self))
    }
}

extension JSONValue {
    /// JavaScript's `String(value)` of the value `JSON.parse` makes of it.
    public var javaScriptString: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let literal): JavaScriptNumber.string(literal)
        case .string(let value): value
        case .array(let elements): elements.map { $0 == .null ? "" : $0.javaScriptString }.joined(separator: ",")
        case .object: "[object Object]"
        }
    }

    /// JavaScript's `typeof` of the value `JSON.parse` makes of it (`null`, arrays and objects are all `"object"`).
    public var javaScriptTypeName: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null, .array, .object: "object"
        }
    }

    /// `JSON.stringify(JSON.parse(text))`: numbers as JavaScript writes them (`1.50` is `1.5`, beyond the
    /// doubles `null`), a repeated key once with its last value at its first place, and, as in every JavaScript
    /// object, the keys that are array indices (`"0"`, `"12"`) first in ascending order.
    public var javaScriptJSON: String {
        var output: [UInt8] = []
        writeJavaScriptJSON(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private func writeJavaScriptJSON(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let literal):
            let value = JavaScriptNumber.value(literal) ?? 0
            output.append(contentsOf: (value.isFinite ? JavaScriptNumber.string(value) : "null").utf8)
        case .string(let value): JSONString.write(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.writeJavaScriptJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            var keys: [String] = []
            var values: [String: JSONValue] = [:]
            for member in members {
                if values.updateValue(member.value, forKey: member.key) == nil { keys.append(member.key) }
            }
            let indices = keys.compactMap { key in Self.arrayIndex(key).map { (key, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
            let ordered = indices + keys.filter { Self.arrayIndex($0) == nil }
            output.append(UInt8(ascii: "{"))
            for (index, key) in ordered.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONString.write(key, to: &output)
                output.append(UInt8(ascii: ":"))
                values[key]?.writeJavaScriptJSON(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The array index a property key denotes in JavaScript: the canonical decimal text of an integer below 2³² − 1.
    private static func arrayIndex(_ key: String) -> UInt32? {
        guard let value = UInt32(key), value < UInt32.max, String(value) == key else { return nil }
        return value
    }
}

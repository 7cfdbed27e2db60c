import IntegrationsCore

// Literals, so that a test's bodies and expected documents read as the JSON they are. A dictionary literal keeps
// its members in order, as `JSONValue.object` does.
extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .number(String(value))
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
}

extension JSONValue {
    /// The value with every object's members sorted by name: documents are stored as jsonb, which keeps no
    /// member order, so tests compare documents without it.
    var membersSorted: JSONValue {
        switch self {
        case .object(let members):
            .object(members.map { (key: $0.key, value: $0.value.membersSorted) }.sorted { $0.key < $1.key })
        case .array(let elements): .array(elements.map(\.membersSorted))
        default: self
        }
    }

    /// The object with `key` set to `value`, or removed when `value` is `nil` (a test's "field missing").
    func replacing(_ key: String, with value: JSONValue?) -> JSONValue {
        value.map { setting(key, $0) } ?? removing(key)
    }
}

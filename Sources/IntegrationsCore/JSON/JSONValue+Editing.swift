extension JSONValue {
    /// The object with `key` set: replaced in place when present (as a JavaScript spread keeps the key's
    /// position), appended otherwise. Non-objects are returned unchanged.
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
            // A repeated key has one value now; later occurrences would override it.
            members = members.enumerated().filter { $0.offset == index || $0.element.key != key }.map(\.element)
        } else {
            members.append((key, value))
        }
        return .object(members)
    }

    /// The object without `key`.
    public func removing(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }

    /// JavaScript truthiness: `false`, `null`, `""` and `0` are false; everything else, even `[]`, is true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .string(let value): !value.isEmpty
        case .number(let literal): Double(literal).map { $0 != 0 && !$0.isNaN } ?? true
        case .array, .object: true
        }
    }
}

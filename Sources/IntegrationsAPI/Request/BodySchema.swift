import IntegrationsCore

/// The few JSON-schema checks Rocket.Chat's request schemas make, with ajv's messages, so that a bad body gets
/// the same `"<message> [invalid-params]"` answer as from Rocket.Chat.
enum BodySchema {
    /// A property the schema declares: its name and the check of its value (ajv's message on failure).
    struct Property: Sendable {
        let name: String
        let check: @Sendable (JSONValue) -> String?

        static func string(_ name: String, pattern: String? = nil, minLength: Int = 0) -> Property {
            Property(name: name) { value in
                guard let string = value.stringValue else { return "must be string" }
                if let pattern, !string.contains(pattern) { return "must match pattern \"\(pattern)\"" }
                if string.count < minLength { return "must NOT have fewer than \(minLength) characters" }
                return nil
            }
        }

        static func boolean(_ name: String) -> Property {
            Property(name: name) { $0.boolValue == nil ? "must be boolean" : nil }
        }

        static func number(_ name: String) -> Property {
            Property(name: name) { value in
                if case .number = value { return nil }
                return "must be number"
            }
        }

        /// An array of strings, each at least `minLength` long.
        static func strings(_ name: String, minLength: Int = 0) -> Property {
            Property(name: name) { value in
                guard let elements = value.arrayValue else { return "must be array" }
                for element in elements {
                    guard let string = element.stringValue else { return "must be string" }
                    if string.count < minLength { return "must NOT have fewer than \(minLength) characters" }
                }
                return nil
            }
        }
    }

    /// The first error ajv reports for an object schema (`allErrors: false`): required properties, then
    /// unknown ones when `additionalProperties` is false, then each declared property in order.
    static func firstError(
        of body: JSONValue,
        required: [String],
        properties: [Property],
        additionalProperties: Bool
    ) -> String? {
        if let missing = required.first(where: { body[$0] == nil }) {
            return "must have required property '\(missing)'"
        }
        if !additionalProperties, body.keys.contains(where: { key in !properties.contains { $0.name == key } }) {
            return "must NOT have additional properties"
        }
        for property in properties {
            if let value = body[property.name], let error = property.check(value) { return error }
        }
        return nil
    }

    /// ajv's `oneOf`: valid when exactly one branch is; otherwise the failing branches' errors and the verdict
    /// (ajv keeps the failing branches' errors when several branches pass, too).
    static func oneOf(_ branchErrors: [String?]) -> String? {
        let failures = branchErrors.compactMap { $0 }
        guard branchErrors.count - failures.count != 1 else { return nil }
        return (failures + ["must match exactly one schema in oneOf"]).joined(separator: "\n ")
    }
}

import IntegrationsCore

/// ajv's `coerceTypes: true`, which Rocket.Chat's REST schemas (`rest-typings`' shared ajv) validate with: a scalar
/// of another type becomes the declared one where ajv knows how, and the handler sees the coerced value. Each check
/// answers the coerced value or ajv's message.
extension BodySchema {
    /// `type: 'string'`: a number becomes its JavaScript text (`"" + n`), a boolean `"true"`/`"false"`, `null` (unless
    /// `nullable`, which keeps it) `""`; arrays and objects fail.
    static func coercedString(_ value: JSONValue, nullable: Bool = false) -> Result<String?, SchemaFailure> {
        switch value {
        case .string(let text): .success(text)
        case .number(let literal): .success(JavaScriptNumber.string(literal))
        case .bool(let flag): .success(flag ? "true" : "false")
        case .null: .success(nullable ? nil : "")
        case .array, .object: .failure(SchemaFailure("must be string"))
        }
    }

    /// `type: 'boolean'`: `"true"`/`"false"`, the numbers 1 and 0 and `null` (false) are booleans too.
    static func coercedBoolean(_ value: JSONValue) -> Result<Bool, SchemaFailure> {
        switch value {
        case .bool(let flag): return .success(flag)
        case .string("true"): return .success(true)
        case .string("false"): return .success(false)
        case .number(let literal):
            switch JavaScriptNumber.value(literal) {
            case 1: return .success(true)
            case 0: return .success(false)
            default: return .failure(SchemaFailure("must be boolean"))
            }
        case .null: return .success(false)
        default: return .failure(SchemaFailure("must be boolean"))
        }
    }

    /// `type: 'object', nullable: true`.
    static func nullableObject(_ value: JSONValue) -> Result<JSONValue?, SchemaFailure> {
        switch value {
        case .object: .success(value)
        case .null: .success(nil)
        default: .failure(SchemaFailure("must be object"))
        }
    }

    /// `type: 'array', items: <item>`: each element checked (and coerced) in turn; `nullable` keeps `null`.
    static func array<Item>(
        _ value: JSONValue,
        nullable: Bool = false,
        items: (JSONValue) -> Result<Item, SchemaFailure>
    ) -> Result<[Item]?, SchemaFailure> {
        switch value {
        case .array(let elements):
            var checked: [Item] = []
            for element in elements {
                switch items(element) {
                case .success(let item): checked.append(item)
                case .failure(let failure): return .failure(failure)
                }
            }
            return .success(checked)
        case .null where nullable: return .success(nil)
        default: return .failure(SchemaFailure("must be array"))
        }
    }

    /// `oneOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}}]`: one value or several. A scalar is
    /// coerced by the first branch, after which the second cannot match, so exactly one does.
    static func stringOrStrings(_ value: JSONValue) -> Result<[String], SchemaFailure> {
        let asString = coercedString(value)
        if case .success(let text) = asString { return .success([text ?? ""]) }
        let asArray = array(value) { element in coercedString(element).map { $0 ?? "" } }
        if case .success(let texts) = asArray { return .success(texts ?? []) }
        var messages: [String] = []
        if case .failure(let failure) = asString { messages += failure.messages }
        if case .failure(let failure) = asArray { messages += failure.messages }
        return .failure(SchemaFailure(messages + [oneOfMismatch]))
    }

    static let oneOfMismatch = "must match exactly one schema in oneOf"

    /// The errors ajv reports for one failing (sub)schema: one message, or several from a nested `oneOf`.
    struct SchemaFailure: Error, Equatable {
        let messages: [String]

        init(_ message: String) {
            messages = [message]
        }

        init(_ messages: [String]) {
            self.messages = messages
        }
    }
}

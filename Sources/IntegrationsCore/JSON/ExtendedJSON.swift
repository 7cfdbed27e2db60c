/// MongoDB Extended JSON (what `mongoexport` writes, relaxed or canonical) turned into the plain JSON
/// Rocket.Chat's REST API shows: dates as `2019-11-29T14:15:27.518Z`, object ids as hex strings, numbers as
/// numbers with every digit kept (`$numberDecimal` is never rounded), binary data as base64 strings.
public enum ExtendedJSON {
    /// A wrapper that cannot be converted (a `$date` that is not a date, say).
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public let description: String
    }

    public static func plain(_ value: JSONValue) throws(Failure) -> JSONValue {
        switch value {
        case .array(let elements):
            var converted: [JSONValue] = []
            converted.reserveCapacity(elements.count)
            for element in elements { converted.append(try plain(element)) }
            return .array(converted)
        case .object(let members):
            if let wrapper = try unwrap(members) { return wrapper }
            var converted: [(key: String, value: JSONValue)] = []
            converted.reserveCapacity(members.count)
            for member in members { converted.append((member.key, try plain(member.value))) }
            return .object(converted)
        default:
            return value
        }
    }

    /// The plain value of a one-member (or `$binary`/`$type` two-member) wrapper object, or `nil` for an ordinary object.
    private static func unwrap(_ members: [(key: String, value: JSONValue)]) throws(Failure) -> JSONValue? {
        guard let first = members.first, first.key.hasPrefix("$") else { return nil }
        switch (first.key, members.count) {
        case ("$date", 1): return .string(try date(first.value))
        case ("$oid", 1):
            guard case .string(let hex) = first.value else { throw Failure(description: "$oid is not a string") }
            return .string(hex)
        case ("$numberLong", 1), ("$numberInt", 1), ("$numberDecimal", 1):
            guard case .string(let literal) = first.value, isNumberLiteral(literal) else {
                throw Failure(description: "\(first.key) is not a number: \(first.value.text)")
            }
            return .number(literal)
        case ("$numberDouble", 1):
            guard case .string(let literal) = first.value else { throw Failure(description: "$numberDouble is not a string") }
            // JSON.stringify writes NaN and ±Infinity as null, and so did Rocket.Chat.
            return isNumberLiteral(literal) ? .number(literal) : .null
        case ("$binary", 1):
            guard case .string(let base64)? = first.value["base64"] else { throw Failure(description: "$binary has no base64") }
            return .string(base64)
        case ("$binary", 2):
            guard case .string(let base64) = first.value, members[1].key == "$type" else { return nil }
            return .string(base64)
        default:
            return nil
        }
    }

    private static func date(_ value: JSONValue) throws(Failure) -> String {
        switch value {
        case .string(let iso):
            guard let milliseconds = RocketChatDate.milliseconds(fromISO: iso) else { throw Failure(description: "$date \(iso) is not a date") }
            return RocketChatDate.string(millisecondsSince1970: milliseconds)
        case .number(let literal):
            guard let milliseconds = Int64(literal) else { throw Failure(description: "$date \(literal) is not whole milliseconds") }
            return RocketChatDate.string(millisecondsSince1970: milliseconds)
        case .object:
            guard case .string(let literal)? = value["$numberLong"], let milliseconds = Int64(literal) else {
                throw Failure(description: "$date \(value.text) is not a date")
            }
            return RocketChatDate.string(millisecondsSince1970: milliseconds)
        default:
            throw Failure(description: "$date \(value.text) is not a date")
        }
    }

    private static func isNumberLiteral(_ text: String) -> Bool {
        guard case .number? = try? JSONParser.parse(text) else { return false }
        return true
    }
}

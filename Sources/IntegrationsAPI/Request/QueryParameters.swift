import IntegrationsCore

/// A strictly parsed query string: percent-escapes and `+` decoded, malformed escapes, invalid UTF-8 and
/// NUL characters rejected, repeated keys kept (so that `?integrationId=a&integrationId=b` can be refused).
struct QueryParameters {
    private var values: [String: [String]] = [:]

    /// The query string is malformed.
    struct Malformed: Error {}

    init(_ query: String?) throws(Malformed) {
        guard let query, !query.isEmpty else { return }
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    /// Parses a query string, answering a malformed one with Rocket.Chat's invalid-params 400.
    static func parse(_ query: String?) throws(RocketChatError) -> QueryParameters {
        do {
            return try QueryParameters(query)
        } catch {
            throw .invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)")
        }
    }

    /// The value of a parameter given at most once and at most `maximumLength` bytes long, or `nil` when absent.
    func single(_ name: String, maximumLength: Int) throws(RocketChatError) -> String? {
        let values = all(name)
        guard values.count <= 1 else { throw .invalidParams("\(name) must be string") }
        guard let value = values.first else { return nil }
        guard value.utf8.count <= maximumLength else {
            throw .invalidParams("\(name) must NOT have more than \(maximumLength) characters")
        }
        return value
    }

    /// The keys present.
    var keys: Dictionary<String, [String]>.Keys { values.keys }

    /// All values given for `key`, in order.
    func all(_ key: String) -> [String] {
        values[key] ?? []
    }

    private static func decode(_ bytes: Substring.UTF8View.SubSequence) throws(Malformed) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = bytes.index(after: index)
                guard high < bytes.endIndex, bytes.index(after: high) < bytes.endIndex,
                    let h = Hex.value(of: bytes[high]), let l = Hex.value(of: bytes[bytes.index(after: high)])
                else { throw Malformed() }
                output.append(h << 4 | l)
                index = bytes.index(after: high)
            default:
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        guard !output.contains(0), let string = String(validating: output, as: UTF8.self) else { throw Malformed() }
        return string
    }
}

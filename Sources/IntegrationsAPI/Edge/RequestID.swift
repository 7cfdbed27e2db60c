import HTTPTypes
import IntegrationsCore

/// The id that ties a request's log lines together: the caller's `X-Request-Id` (nginx's `$request_id`) when it
/// is a plausible one, else 32 random hex digits, as nginx makes them. Echoed in the response.
enum RequestID {
    static let headerName = HTTPField.Name("X-Request-Id")!
    static let maximumLength = 128

    static func of(_ request: HTTPFields) -> String {
        if let given = request[headerName], isAcceptable(given) { return given }
        return generate()
    }

    /// Letters, digits and `-._:` only, at most 128: safe to log and to echo.
    static func isAcceptable(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= maximumLength
            && value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            }
    }

    /// 32 lowercase hex digits of 128 random bits, written straight into the string's storage (this runs for
    /// every request that brings no id of its own).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let first: UInt64 = generator.next()
        let second: UInt64 = generator.next()
        return String(unsafeUninitializedCapacity: 32) { digits in
            for nibble in 0..<16 {
                digits[nibble] = Hex.digit(of: UInt8(truncatingIfNeeded: first >> (4 * nibble)))
                digits[16 + nibble] = Hex.digit(of: UInt8(truncatingIfNeeded: second >> (4 * nibble)))
            }
            return 32
        }
    }
}

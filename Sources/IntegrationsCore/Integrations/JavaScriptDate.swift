/// JavaScript's `Date.parse` for ECMAScript's date time string format (ECMA-262 §21.4.1.32), the form every
/// JavaScript engine reads the same way: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by
/// `THH:mm`, `THH:mm:ss` or `THH:mm:ss.sss` and `Z` or `±HH:mm`; years may be `±YYYYYY`. A date without a
/// time is UTC; a time without an offset is local time in JavaScript, read here as UTC (the time zone of a
/// server). Values out of range (`25:00`, month 13) are not dates, nor are instants beyond a `Date`'s range
/// (±8.64e15 ms, ±275760-09-13). The engines' own fallback formats (`Jan 10 2024`) are not read.
public enum JavaScriptDate {
    /// The largest distance from 1970 a JavaScript `Date` holds, in milliseconds (100,000,000 days).
    public static let maximumMilliseconds: Int64 = 8_640_000_000_000_000

    /// Milliseconds since 1970-01-01T00:00:00Z, or `nil` when `text` is not in the format.
    public static func parse(_ text: String) -> Int64? {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.year() else { return nil }
        var month: Int64 = 1
        var day: Int64 = 1
        if reader.take(UInt8(ascii: "-")) {
            guard let value = reader.number(digits: 2), (1...12).contains(value) else { return nil }
            month = value
            if reader.take(UInt8(ascii: "-")) {
                guard let value = reader.number(digits: 2), (1...31).contains(value) else { return nil }
                day = value
            }
        }
        var milliseconds: Int64 = 0
        var offset: Int64 = 0
        if reader.take(UInt8(ascii: "T")) {
            guard let hour = reader.number(digits: 2), reader.take(UInt8(ascii: ":")), let minute = reader.number(digits: 2),
                hour <= 24, minute <= 59
            else { return nil }
            var second: Int64 = 0
            var fraction: Int64 = 0
            if reader.take(UInt8(ascii: ":")) {
                guard let value = reader.number(digits: 2), value <= 59 else { return nil }
                second = value
                if reader.take(UInt8(ascii: ".")) {
                    guard let value = reader.fractionMilliseconds() else { return nil }
                    fraction = value
                }
            }
            guard hour < 24 || (minute == 0 && second == 0 && fraction == 0) else { return nil }
            milliseconds = ((hour * 60 + minute) * 60 + second) * 1000 + fraction
            if reader.take(UInt8(ascii: "Z")) {
            } else if let sign = reader.sign() {
                guard let hours = reader.number(digits: 2), reader.take(UInt8(ascii: ":")), let minutes = reader.number(digits: 2),
                    hours <= 23, minutes <= 59
                else { return nil }
                offset = sign * (hours * 60 + minutes) * 60_000
            }
        }
        guard reader.atEnd else { return nil }
        let instant = RocketChatDate.days(fromCivil: year, month, day) * 86_400_000 + milliseconds - offset
        return instant.magnitude <= maximumMilliseconds ? instant : nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int64? {
            if take(UInt8(ascii: "+")) { return 1 }
            if take(UInt8(ascii: "-")) { return -1 }
            return nil
        }

        /// `YYYY`, or `±YYYYYY` (but not `-000000`).
        mutating func year() -> Int64? {
            guard let sign = sign() else { return number(digits: 4) }
            guard let value = number(digits: 6), !(sign == -1 && value == 0) else { return nil }
            return sign * value
        }

        mutating func number(digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }

        /// One or more digits of a fraction of a second, as whole milliseconds (further digits truncated, as V8 does).
        mutating func fractionMilliseconds() -> Int64? {
            var value: Int64 = 0
            var count = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if count < 3 { value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { value *= 10 }
            return value
        }
    }
}

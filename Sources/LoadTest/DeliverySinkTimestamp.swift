/// Reads the `timestamp` of an outgoing-webhook payload (the message's time, as Rocket.Chat writes dates:
/// `2019-11-29T14:15:27.518Z`) as epoch milliseconds, straight from the body's bytes: no JSON parse, no
/// `DateFormatter`, nothing allocated, since the sink does it for every request.
enum DeliverySinkTimestamp {
    private static let key = Array(#""timestamp""#.utf8)

    /// The milliseconds of the first `"timestamp"` key of a JSON object text; `nil` when there is none or its
    /// value is not such a date. A `"timestamp"` inside a string value cannot match: its quotes are escaped there.
    static func epochMilliseconds(inPayload bytes: UnsafeRawBufferPointer) -> Int64? {
        let key = Self.key
        var index = 0
        while let start = find(key, in: bytes, from: index) {
            var cursor = start + key.count
            cursor = skipWhitespace(bytes, from: cursor)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else {
                index = start + 1
                continue
            }
            cursor = skipWhitespace(bytes, from: cursor + 1)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") else { return nil }
            let valueStart = cursor + 1
            var valueEnd = valueStart
            while valueEnd < bytes.count, bytes[valueEnd] != UInt8(ascii: "\"") { valueEnd += 1 }
            guard valueEnd < bytes.count else { return nil }
            return epochMilliseconds(iso: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
        }
        return nil
    }

    static func epochMilliseconds(inPayload bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBytes { epochMilliseconds(inPayload: $0) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (UTC; the fraction's first three digits count) as epoch milliseconds.
    static func epochMilliseconds(iso text: String) -> Int64? {
        var text = text
        return text.withUTF8 { epochMilliseconds(iso: UnsafeRawBufferPointer($0)) }
    }

    static func epochMilliseconds(iso bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[bytes.count - 1] == UInt8(ascii: "Z"),
            let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60 else { return nil }
        var milliseconds: Int64 = 0
        let fractionEnd = bytes.count - 1
        if fractionEnd > 19 {
            guard bytes[19] == UInt8(ascii: "."), fractionEnd > 20 else { return nil }
            var scale: Int64 = 100
            for position in 20..<fractionEnd {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                milliseconds += Int64(digit) * scale
                scale /= 10
            }
        } else if fractionEnd != 19 {
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milliseconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func digits(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for position in start..<(start + count) {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var cursor = start
        while cursor < bytes.count {
            switch bytes[cursor] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): cursor += 1
            default: return cursor
            }
        }
        return cursor
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = start
        let last = bytes.count - needle.count
        while position <= last {
            if bytes[position] == first {
                var matched = 1
                while matched < needle.count, bytes[position + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return position }
            }
            position += 1
        }
        return nil
    }
}

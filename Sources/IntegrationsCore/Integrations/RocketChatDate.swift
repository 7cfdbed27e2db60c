import Foundation

/// Dates as Rocket.Chat's REST API writes them (`JSON.stringify` of a `Date`): `2019-11-29T14:15:27.518Z`,
/// computed with integer arithmetic so that milliseconds are exact.
public enum RocketChatDate {
    public static func string(from date: Date) -> String {
        string(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public static func now() -> String {
        string(from: Date())
    }

    /// The ISO string of a count of milliseconds since 1970-01-01T00:00:00Z (MongoDB's date representation).
    public static func string(millisecondsSince1970 milliseconds: Int64) -> String {
        let (days, dayMilliseconds) = milliseconds.floorDivided(by: 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let hour = dayMilliseconds / 3_600_000
        let minute = dayMilliseconds / 60_000 % 60
        let second = dayMilliseconds / 1000 % 60
        let millisecond = dayMilliseconds % 1000
        let yearText = year >= 0 && year <= 9999 ? year.zeroPadded(toWidth: 4) : (year < 0 ? "-" : "+") + abs(year).zeroPadded(toWidth: 6)
        return
            "\(yearText)-\(month.zeroPadded(toWidth: 2))-\(day.zeroPadded(toWidth: 2))"
            + "T\(hour.zeroPadded(toWidth: 2)):\(minute.zeroPadded(toWidth: 2)):\(second.zeroPadded(toWidth: 2))"
            + ".\(millisecond.zeroPadded(toWidth: 3))Z"
    }

    /// Milliseconds since 1970 of the ISO 8601 date-time of a MongoDB extended-JSON `$date`
    /// (`2019-11-29T14:15:27.518Z`, with or without fraction, `Z` or a `±hh:mm` offset, which it also reads
    /// without its colon, and a space for the `T`), or `nil` when the text is not one. It is not
    /// ``JavaScriptDate/parse(_:)``, which reads what `Date.parse` reads: a stricter date-time, but also dates
    /// without a time, which a stored date never is.
    public static func milliseconds(fromISO text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            expect(84) || expect(32), let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millisecond: Int64 = 0
        if expect(46) {
            var scale: Int64 = 100
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                millisecond += Int64(bytes[index] - 48) * scale
                scale /= 10
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset: Int64 = 0
        if expect(90) {
        } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
            let sign: Int64 = bytes[index] == 45 ? -1 : 1
            index += 1
            guard let hours = number(2), expect(58) || true, let minutes = number(2) else { return nil }
            offset = sign * (hours * 60 + minutes) * 60_000
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond - offset
    }

    /// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's `civil_from_days`.
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Quotient and remainder rounded towards negative infinity (dates before 1970 stay correct).
    fileprivate func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

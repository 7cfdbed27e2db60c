import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `Date` response header (RFC 9110 IMF-fixdate), formatted at most once a second for the whole process.
final class HTTPDate: Sendable {
    private let cache = Mutex<(second: time_t, text: String)>((-1, ""))

    /// The current time as `Sun, 29 Nov 2026 14:35:54 GMT`.
    var now: String {
        let second = time(nil)
        return cache.withLock { cached in
            if cached.second != second {
                cached = (second, Self.format(second))
            }
            return cached.text
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ second: time_t) -> String {
        var seconds = second
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }
}

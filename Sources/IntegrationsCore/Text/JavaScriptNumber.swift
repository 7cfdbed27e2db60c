/// JavaScript's reading and writing of numbers, for the places where Rocket.Chat turns a JSON number into text:
/// ajv's type coercion (`"" + n`) and `String(n)`.
public enum JavaScriptNumber {
    /// The double a JSON number literal is to `JSON.parse` (beyond the range of doubles: ±Infinity).
    public static func value(_ literal: String) -> Double? {
        Double(literal)
    }

    /// `String(n)` of the number a JSON literal holds: ECMAScript's Number::toString, the shortest digits that
    /// read back as the same double, in positional notation from 1e-6 up to 1e21 and in exponent form beyond
    /// (`1.50` is `1.5`, `1e2` is `100`, `1e21` is `1e+21`, `-0` is `0`, `1e400` is `Infinity`).
    public static func string(_ literal: String) -> String {
        guard let value = value(literal) else { return literal }
        return string(value)
    }

    public static func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let (digits, n) = shortestDigits(abs(value))
        let k = digits.count
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return sign + String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let exponentText = (exponent < 0 ? "-" : "+") + String(abs(exponent))
        if k == 1 { return sign + digits + "e" + exponentText }
        return sign + String(digits.prefix(1)) + "." + String(digits.dropFirst()) + "e" + exponentText
    }

    /// The shortest round-trip decimal digits of a positive finite double (Swift's `description` finds the same
    /// digits as JavaScript: the shortest, nearest to the value) and ECMAScript's `n`: the value is
    /// `0.digits × 10^n`.
    private static func shortestDigits(_ value: Double) -> (digits: String, n: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integerPart + fractionPart
        var n = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            n -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 {
            digits.removeLast()
        }
        return (digits, n)
    }
}

/// Lowercase hexadecimal digits, the form every hex text of the service takes (password digests, request
/// ids, JSON's `\u00xx` escapes), and the value of a digit of either case (`%XX` in URLs).
public enum Hex {
    /// The lowercase ASCII digit of the low four bits of `nibble` (`0`–`9`, `a`–`f`).
    @inlinable
    public static func digit(of nibble: UInt8) -> UInt8 {
        let value = nibble & 0x0F
        return value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }

    /// The value of one hex digit, upper or lower case; `nil` for any other byte.
    @inlinable
    public static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Appends the two lowercase digits of `byte`, high nibble first.
    @inlinable
    public static func write(_ byte: UInt8, to sink: inout some ByteSink) {
        sink.append(digit(of: byte >> 4))
        sink.append(digit(of: byte))
    }

    /// The lowercase hex text of `bytes`, two digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { write(byte, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }
}

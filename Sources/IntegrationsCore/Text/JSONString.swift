/// JSON string literals, escaped minimally, as Rocket.Chat's `JSON.stringify` writes them: `"` and `\` and
/// the control characters `\b`, `\f`, `\n`, `\r`, `\t` as two-character escapes, the other bytes below 0x20 as `\u00xx`
/// (lowercase hex), every other byte as it is (UTF-8 passes through unchanged).
public enum JSONString {
    /// Appends `string` as a quoted JSON string. Runs of bytes that need no escape are appended whole, so
    /// that a string without any (the usual case) is a single copy between its quotes.
    @inlinable
    public static func write(_ string: String, to sink: inout some ByteSink) {
        sink.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if needsEscape(byte) {
                if runStart != index { sink.append(contentsOf: utf8[runStart..<index]) }
                writeEscape(of: byte, to: &sink)
                runStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if runStart != utf8.endIndex { sink.append(contentsOf: utf8[runStart...]) }
        sink.append(UInt8(ascii: "\""))
    }

    /// `string` as a quoted JSON string (`JSON.stringify` of a string).
    public static func literal(_ string: String) -> String {
        var output: [UInt8] = []
        write(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether a byte of UTF-8 cannot stand as it is inside a JSON string.
    @inlinable
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @inlinable
    static func writeEscape(of byte: UInt8, to sink: inout some ByteSink) {
        sink.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): sink.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): sink.append(UInt8(ascii: "\\"))
        case 0x08: sink.append(UInt8(ascii: "b"))
        case 0x0C: sink.append(UInt8(ascii: "f"))
        case 0x0A: sink.append(UInt8(ascii: "n"))
        case 0x0D: sink.append(UInt8(ascii: "r"))
        case 0x09: sink.append(UInt8(ascii: "t"))
        default:
            sink.append(contentsOf: "u00".utf8)
            Hex.write(byte, to: &sink)
        }
    }
}

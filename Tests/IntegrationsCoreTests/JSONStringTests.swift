import IntegrationsCore
import Testing

@Suite struct JSONStringTests {
    private func written(_ string: String) -> String {
        var output: [UInt8] = []
        JSONString.write(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func plainTextIsQuotedAsItIs() {
        #expect(written("") == #""""#)
        #expect(written("hello, world") == #""hello, world""#)
        #expect(written("/ünïcödé ✓ 🚀/") == "\"/ünïcödé ✓ 🚀/\"")
    }

    @Test func quoteBackslashAndCommonControlsHaveShortEscapes() {
        #expect(written("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(written("\u{08}\u{0C}") == #""\b\f""#)
        #expect(written("\"") == #""\"""#)
        #expect(written("\\\\") == #""\\\\""#)
    }

    @Test func otherControlCharactersAreLowercaseUnicodeEscapes() {
        #expect(written("\u{00}\u{01}\u{0B}\u{1B}\u{1F}") == #""\u0000\u0001\u000b\u001b\u001f""#)
        // DEL and everything above stays as it is, as JSON.stringify leaves it.
        #expect(written("\u{7F}\u{80}") == "\"\u{7F}\u{80}\"")
    }

    @Test func escapesBetweenRunsOfPlainText() {
        #expect(written("start\u{01}middle\"end") == #""start\u0001middle\"end""#)
        #expect(written("\nonly at the edges\n") == #""\nonly at the edges\n""#)
    }

    /// Every single-byte character, against the escaping as Rocket.Chat's JSON.stringify defines it.
    @Test func everyASCIICharacterMatchesTheReference() {
        for scalar in (0..<128).compactMap(Unicode.Scalar.init) {
            let expected: String
            switch scalar {
            case "\"": expected = #"\""#
            case "\\": expected = #"\\"#
            case "\n": expected = #"\n"#
            case "\r": expected = #"\r"#
            case "\t": expected = #"\t"#
            case "\u{08}": expected = #"\b"#
            case "\u{0C}": expected = #"\f"#
            case _ where scalar.value < 0x20: expected = "\\u00" + Hex.encode([UInt8(scalar.value)])
            default: expected = String(scalar)
            }
            #expect(written(String(scalar)) == "\"\(expected)\"", "\(scalar.value)")
        }
    }

    @Test func appendsToWhatTheSinkHolds() {
        var output = Array("[".utf8)
        JSONString.write("a", to: &output)
        output.append(UInt8(ascii: "]"))
        #expect(String(decoding: output, as: UTF8.self) == #"["a"]"#)
    }

    @Test func jsonValueTextUsesIt() {
        let value = JSONValue.object([("k\"ey", .string("line\nbreak\u{02}"))])
        #expect(value.text == #"{"k\"ey":"line\nbreak\u0002"}"#)
    }
}

import HummingbirdCore
import NIOCore
import Testing

@testable import IntegrationsAPI

/// The writer of every envelope: strings escaped, stored JSON spliced as it is.
@Suite struct JSONWriterTests {
    func object(_ fields: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        fields(&writer)
        writer.endObject()
        return String(buffer: writer.buffer)
    }

    func string(_ value: String) -> String {
        object { $0.field("k", string: value) }
    }

    @Test func anEmptyObjectIsTwoBraces() {
        #expect(object { _ in } == "{}")
    }

    @Test func fieldsAreSeparatedByCommas() {
        #expect(
            object {
                $0.field("a", string: "x")
                $0.field("b", raw: "1")
                $0.field("c", raw: "null")
            } == #"{"a":"x","b":1,"c":null}"#
        )
    }

    @Test func quotesAndBackslashesAreEscaped() {
        #expect(string(#"say "hi" \ bye"#) == #"{"k":"say \"hi\" \\ bye"}"#)
    }

    @Test func newlineReturnAndTabHaveTheirShortEscapes() {
        #expect(string("a\nb\rc\td") == #"{"k":"a\nb\rc\td"}"#)
    }

    @Test func otherControlCharactersAreLowercaseUnicodeEscapes() {
        #expect(string("\u{0}\u{1}\u{1F}\u{0B}") == #"{"k":"\u0000\u0001\u001f\u000b"}"#)
    }

    /// As JSON.stringify writes them.
    @Test func backspaceAndFormFeedHaveShortEscapes() {
        #expect(string("\u{8}\u{C}") == #"{"k":"\b\f"}"#)
    }

    @Test func deleteNonASCIIAndSeparatorsPassThrough() {
        #expect(string("\u{7F}héllo שלום 🚀 \u{2028}\u{2029}") == "{\"k\":\"\u{7F}héllo שלום 🚀 \u{2028}\u{2029}\"}")
    }

    @Test func slashesAreNotEscaped() {
        #expect(string("http://a/b") == #"{"k":"http://a/b"}"#)
    }

    @Test func keysAreEscapedToo() {
        #expect(object { $0.field("a\"b\n", raw: "1") } == #"{"a\"b\n":1}"#)
    }

    @Test func rawJSONIsSplicedUnchanged() {
        let stored = #"{"big":12345678901234567890123,"precise":1.50,"s":"\u00e9"}"#
        #expect(object { $0.field("integration", raw: stored) } == #"{"integration":\#(stored)}"#)
    }

    @Test func rawBytesAreSplicedUnchanged() {
        let stored = Array(#"[{"_id":"a"},{"_id":"b"}]"#.utf8)
        let text = object { writer in
            stored.withUnsafeBytes { writer.field("history", rawBytes: $0) }
            writer.field("success", raw: "true")
        }
        #expect(text == #"{"history":[{"_id":"a"},{"_id":"b"}],"success":true}"#)
    }

    @Test func nestedObjectsTakeCommasOnBothSides() {
        let text = object { writer in
            writer.field("before", raw: "0")
            writer.key("inner")
            writer.beginObject()
            writer.field("x", raw: "1")
            writer.field("y", raw: "2")
            writer.endObject()
            writer.key("empty")
            writer.beginObject()
            writer.endObject()
            writer.field("after", raw: "3")
        }
        #expect(text == #"{"before":0,"inner":{"x":1,"y":2},"empty":{},"after":3}"#)
    }

    @Test func anObjectMayStartWithANestedObject() {
        let text = object { writer in
            writer.key("data")
            writer.beginObject()
            writer.endObject()
            writer.field("success", raw: "true")
        }
        #expect(text == #"{"data":{},"success":true}"#)
    }

    @Test func successPutsTheDocumentBeforeSuccessTrue() {
        #expect(String(buffer: JSONWriter.success("integration", raw: #"{"_id":"x"}"#)) == #"{"integration":{"_id":"x"},"success":true}"#)
        #expect(String(buffer: JSONWriter.success("k\"", raw: "[]")) == #"{"k\"":[],"success":true}"#)
    }

    @Test func statusSuccessIsTheLoginEnvelope() {
        let login = JSONWriter.statusSuccess { data in
            data.field("userId", string: "aobEdbYhXfu5hkeqG")
            data.field("authToken", string: "9HqL\"x")
            data.field("me", raw: #"{"username":"a"}"#)
        }
        #expect(
            String(buffer: login)
                == #"{"status":"success","data":{"userId":"aobEdbYhXfu5hkeqG","authToken":"9HqL\"x","me":{"username":"a"}},"success":true}"#
        )
    }

    @Test func statusSuccessIsTheLogoutEnvelope() {
        let logout = JSONWriter.statusSuccess { $0.field("message", string: "You've been logged out!") }
        #expect(String(buffer: logout) == #"{"status":"success","data":{"message":"You've been logged out!"},"success":true}"#)
        #expect(String(buffer: JSONWriter.statusSuccess { _ in }) == #"{"status":"success","data":{},"success":true}"#)
    }
}

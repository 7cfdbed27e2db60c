import IntegrationsCore
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        "12345678901234567890123", "0.1000000000000000055511151231257827", "1.50", "-0", "1e400", "-1.5E-10", "0",
    ])
    func numbersKeepTheirLiteralText(literal: String) throws {
        #expect(try JSONParser.parse("[\(literal)]") == .array([.number(literal)]))
        #expect(try JSONParser.parse("[\(literal)]").text == "[\(literal)]")
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"{"s":"a\"b\\c\/d\n\u00e9\u2028\ud83d\ude80 שלום"}"#)
        #expect(value["s"] == .string("a\"b\\c/d\né\u{2028}🚀 שלום"))
        #expect(try JSONParser.parse(value.text) == value)
    }

    @Test func membersKeepTheirOrderAndTypesStayDistinct() throws {
        let value = try JSONParser.parse(#" {"b": true, "a": "true", "c": null, "d": [1, "1"]} "#)
        #expect(value.keys == ["b", "a", "c", "d"])
        #expect(value["b"] == .bool(true))
        #expect(value["a"] == .string("true"))
        #expect(value["c"] == .null)
        #expect(value.text == #"{"b":true,"a":"true","c":null,"d":[1,"1"]}"#)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "NaN", "tru", "\"\\x\"", "\"a", "[1] 2", "{'a':1}",
        "\"\u{1}\"", "\"\\ud800\"", "\"\\udc00\"",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func nulCharactersAreRefusedByName() {
        #expect {
            try JSONParser.parse(#"{"a":"x\u0000y"}"#)
        } throws: { error in
            (error as? JSONParser.Failure)?.reason == .nulCharacter
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONParser.parse(deep).text == deep)
        let tooDeep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect {
            try JSONParser.parse(tooDeep)
        } throws: { error in
            (error as? JSONParser.Failure)?.reason == .tooDeep
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }
}

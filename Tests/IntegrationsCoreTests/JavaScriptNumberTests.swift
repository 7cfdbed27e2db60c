import IntegrationsCore
import Testing

/// `String(n)` of the numbers JSON literals hold, against what Node prints.
@Suite struct JavaScriptNumberTests {
    @Test(
        arguments: [
            ("0", "0"), ("-0", "0"), ("5", "5"), ("1.50", "1.5"), ("1e2", "100"), ("100.0", "100"), ("0.1", "0.1"),
            ("0.000001", "0.000001"), ("0.0000001", "1e-7"), ("1.2345e-7", "1.2345e-7"), ("123456789012345678901", "123456789012345680000"),
            ("1e21", "1e+21"), ("1.5e300", "1.5e+300"), ("-2.5", "-2.5"), ("5e-324", "5e-324"), ("1e400", "Infinity"),
            ("-1e400", "-Infinity"), ("9007199254740993", "9007199254740992"), ("0.30000000000000004", "0.30000000000000004"),
        ]
    )
    func numbersAreWrittenAsJavaScriptWritesThem(literal: String, text: String) {
        #expect(JavaScriptNumber.string(literal) == text)
    }

    @Test func jsonStringifyOrdersIndexKeysFirstAndKeepsTheLastOfARepeatedKey() throws {
        let value = try JSONParser.parse(#"{"b":1,"10":2,"a":[1.50,1e400],"2":3,"b":4,"01":5}"#)
        #expect(value.javaScriptJSON == #"{"2":3,"10":2,"b":4,"a":[1.5,null],"01":5}"#)
        #expect(JSONValue.string("x\"y").javaScriptJSON == #""x\"y""#)
    }
}

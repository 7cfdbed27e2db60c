import IntegrationsCore
import Testing

@Suite struct ExtendedJSONTests {
    @Test(arguments: [
        (#"{"$date":"2019-11-29T14:15:27.518Z"}"#, #""2019-11-29T14:15:27.518Z""#),
        (#"{"$date":"2019-11-29T14:15:27Z"}"#, #""2019-11-29T14:15:27.000Z""#),
        (#"{"$date":"2019-11-29T15:15:27.518+01:00"}"#, #""2019-11-29T14:15:27.518Z""#),
        (#"{"$date":{"$numberLong":"1575036927518"}}"#, #""2019-11-29T14:15:27.518Z""#),
        (#"{"$date":1575036927518}"#, #""2019-11-29T14:15:27.518Z""#),
        (#"{"$date":{"$numberLong":"-1"}}"#, #""1969-12-31T23:59:59.999Z""#),
        (#"{"$oid":"5de12a4f8a2b3c0012345678"}"#, #""5de12a4f8a2b3c0012345678""#),
        (#"{"$numberLong":"9223372036854775807"}"#, "9223372036854775807"),
        (#"{"$numberInt":"-42"}"#, "-42"),
        (#"{"$numberDecimal":"1.50"}"#, "1.50"),
        (#"{"$numberDecimal":"12345678901234567890123.4567890123"}"#, "12345678901234567890123.4567890123"),
        (#"{"$numberDouble":"-0.0"}"#, "-0.0"),
        (#"{"$numberDouble":"NaN"}"#, "null"),
        (#"{"$numberDouble":"Infinity"}"#, "null"),
        (#"{"$binary":{"base64":"AAEC","subType":"00"}}"#, #""AAEC""#),
        (#"{"$binary":"AAEC","$type":"00"}"#, #""AAEC""#),
        (
            #"{"a":[{"$date":{"$numberLong":"0"}},{"b":{"$numberInt":"1"}}],"$notAWrapper":1}"#,
            #"{"a":["1970-01-01T00:00:00.000Z",{"b":1}],"$notAWrapper":1}"#
        ),
    ])
    func wrappersBecomePlainJSON(input: String, expected: String) throws {
        #expect(try ExtendedJSON.plain(JSONParser.parse(input)).text == expected)
    }

    @Test(arguments: [#"{"$date":"yesterday"}"#, #"{"$date":true}"#, #"{"$numberLong":"12a"}"#, #"{"$oid":5}"#])
    func badWrappersAreReported(input: String) {
        #expect(throws: ExtendedJSON.Failure.self) { try ExtendedJSON.plain(JSONParser.parse(input)) }
    }

    @Test func datesFormatExactly() {
        #expect(RocketChatDate.string(millisecondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RocketChatDate.string(millisecondsSince1970: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(RocketChatDate.milliseconds(fromISO: "2000-02-29T00:00:00.000Z") == 951_782_400_000)
        #expect(RocketChatDate.milliseconds(fromISO: "2019-11-29") == nil)
    }
}

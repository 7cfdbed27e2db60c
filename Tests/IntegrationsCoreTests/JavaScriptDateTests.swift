import IntegrationsCore
import Testing

/// `Date.parse` over ECMAScript's date time string format; expected values from Node's `Date.parse`.
@Suite struct JavaScriptDateTests {
    @Test(
        arguments: [
            ("1970-01-01T00:00:00.000Z", 0), ("2019-11-29T14:15:27.518Z", 1_575_036_927_518), ("2019-11-29", 1_574_985_600_000),
            ("2019-11", 1_572_566_400_000), ("2019", 1_546_300_800_000), ("2019-11-29T14:15", 1_575_036_900_000),
            ("2019-11-29T14:15:27.5+01:30", 1_575_031_527_500), ("1969-12-31T23:59:59.999Z", -1), ("-000001-01-01", -62_198_755_200_000),
            ("+275760-09-13T00:00:00.000Z", 8_640_000_000_000_000), ("2019-11-29T24:00", 1_575_072_000_000),
        ] as [(String, Int64)]
    )
    func aDateOfTheFormatIsItsInstant(text: String, milliseconds: Int64) {
        #expect(JavaScriptDate.parse(text) == milliseconds)
    }

    @Test(arguments: [
        "", "2019-13", "2019-00", "2019-11-32", "2019-11-29T14:60", "2019-11-29T14:15:60", "2019-11-29T24:00:00.001",
        "2019-11-29T14:15+24:00", "19-11-29", "2019-11-29 14:15", "-000000-01-01", "2019-11-29T14:15:27.Z", "now",
        "+275760-09-13T00:00:00.001Z", "-271821-04-19T23:59:59.999Z",
    ])
    func anythingElseIsNotADate(text: String) {
        #expect(JavaScriptDate.parse(text) == nil)
    }
}

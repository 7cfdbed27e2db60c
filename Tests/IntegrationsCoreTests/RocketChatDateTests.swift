import Foundation
import IntegrationsCore
import Testing

/// `RocketChatDate`: dates as `JSON.stringify` writes them (spec 1.8); the expected strings are Node's
/// `new Date(ms).toISOString()` and `Date.parse(text)`.
@Suite struct RocketChatDateTests {
    @Test(
        arguments: [
            (1_575_036_927_518, "2019-11-29T14:15:27.518Z"), (-1, "1969-12-31T23:59:59.999Z"), (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
            (1_583_020_800_000, "2020-03-01T00:00:00.000Z"), (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
            (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"), (-62_135_596_800_001, "0000-12-31T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ] as [(Int64, String)]
    )
    func millisecondsFormatAsJavaScriptDoes(milliseconds: Int64, text: String) {
        #expect(RocketChatDate.string(millisecondsSince1970: milliseconds) == text)
        #expect(RocketChatDate.milliseconds(fromISO: text) == milliseconds)
    }

    /// Years outside 0…9999 take a sign and six digits, as `toISOString` writes them.
    @Test func yearsOutsideFourDigitsAreExpanded() {
        #expect(RocketChatDate.string(millisecondsSince1970: 253_402_300_800_000) == "+010000-01-01T00:00:00.000Z")
        #expect(RocketChatDate.string(millisecondsSince1970: -62_198_755_200_000) == "-000001-01-01T00:00:00.000Z")
    }

    @Test func aDateIsCutToTheMillisecond() {
        #expect(RocketChatDate.string(from: Date(timeIntervalSince1970: 1_575_036_927.5189)) == "2019-11-29T14:15:27.518Z")
    }

    @Test(arguments: [
        "2019-11-29T14:15:27.518Z", "2019-11-29T16:15:27.518+02:00", "2019-11-29T12:45:27.518-01:30", "2019-11-29T16:15:27.518+0200",
        "2019-11-29 14:15:27.518Z", "2019-11-29T14:15:27.5189Z",
    ])
    func offsetsAndExtraDigitsReadAsTheSameInstant(text: String) {
        #expect(RocketChatDate.milliseconds(fromISO: text) == 1_575_036_927_518)
    }

    @Test func theFractionIsOptional() {
        #expect(RocketChatDate.milliseconds(fromISO: "2019-11-29T14:15:27Z") == 1_575_036_927_000)
        #expect(RocketChatDate.milliseconds(fromISO: "2019-11-29T14:15:27.5Z") == 1_575_036_927_500)
    }

    @Test(arguments: [
        "", "2019-13-01T00:00:00Z", "2019-00-01T00:00:00Z", "2019-11-32T00:00:00Z", "2019-11-00T00:00:00Z", "2019-11-29T24:00:00Z",
        "2019-11-29T14:60:00Z", "2019-11-29T14:15:27", "2019-11-29T14:15:27.Z", "2019-11-29T14:15:27.518Zx", "2019-11-29T14:15:27.518+0",
        "19-11-29T14:15:27Z", "2019/11/29T14:15:27Z", "2019-11-29T14:15Z", "2019-11-29t14:15:27Z", "+010000-01-01T00:00:00.000Z",
    ])
    func otherTextIsNotADate(text: String) {
        #expect(RocketChatDate.milliseconds(fromISO: text) == nil)
    }
}

import Foundation
import Testing

@testable import IntegrationsAPI

/// The query of `permissions.listAll`: an optional `updatedSince` date.
@Suite struct PermissionsListAllQueryTests {
    static let invalidDate = RocketChatError.failure(
        #"The "updatedSince" query parameter must be a valid date. [error-roomId-param-invalid]"#,
        errorType: "error-roomId-param-invalid"
    )

    func refusal(_ query: String?) -> RocketChatError? {
        thrownError { () throws(RocketChatError) in try PermissionsListAllQuery(query) }
    }

    @Test func withoutUpdatedSinceEverythingIsListed() throws {
        #expect(try PermissionsListAllQuery(nil).updatedSince == nil)
        #expect(try PermissionsListAllQuery("other=1").updatedSince == nil)
    }

    @Test(
        arguments: [
            ("2999-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z"), ("2018-11-27T13:52:01Z", "2018-11-27T13:52:01.000Z"),
            ("2024-01-10T14:12:52.201%2B02:00", "2024-01-10T12:12:52.201Z"), ("2024-01-10T14:12:52-05:00", "2024-01-10T19:12:52.000Z"),
            ("2024-01-10", "2024-01-10T00:00:00.000Z"), ("2024-01", "2024-01-01T00:00:00.000Z"), ("2024", "2024-01-01T00:00:00.000Z"),
            ("2024-01-10T14:12", "2024-01-10T14:12:00.000Z"), ("2024-01-10T14:12:52.1234Z", "2024-01-10T14:12:52.123Z"),
            ("2024-01-10T24:00:00Z", "2024-01-11T00:00:00.000Z"), ("%2B002024-01-10", "2024-01-10T00:00:00.000Z"),
        ]
    )
    func aDateOfJavaScriptsFormatIsReadAsTheInstantItNames(date: String, instant: String) throws {
        #expect(try PermissionsListAllQuery("updatedSince=\(date)").updatedSince == instant)
    }

    @Test(arguments: ["yesterday", "2024-13-01T00:00:00Z", "1704895972", "2024-01-10T24:00:01Z", "-000000-01-01"])
    func anythingElseIsRocketChatsInvalidDateError(date: String) async throws {
        let error = try #require(refusal("updatedSince=\(date)"))
        #expect(error == Self.invalidDate)
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"The \"updatedSince\" query parameter must be a valid date. [error-roomId-param-invalid]","errorType":"error-roomId-param-invalid"}"#
        )
    }

    @Test func aMalformedQueryIsInvalidParams() {
        #expect(refusal("updatedSince=%zz")?.errorType == "invalid-params")
    }

    /// Rocket.Chat checks `if (updatedSince)` before `Date.parse`: an empty value lists everything.
    @Test func anEmptyUpdatedSinceIsIgnoredAsRocketChatIgnoresIt() {
        #expect(refusal("updatedSince=") == nil)
    }

    /// `Date.parse` gives `NaN` for a field out of range (Foundation's ISO 8601 parser would roll it over).
    @Test(arguments: ["2024-01-10T25:00:00Z", "2024-01-10T14:61:00Z"])
    func aFieldOutOfRangeIsAnInvalidDateAsForDateParse(date: String) {
        let error = refusal("updatedSince=\(date)")
        #expect(error == Self.invalidDate)
    }

    /// `Date.parse` accepts every form of ECMAScript's date time string format: date only, and local time.
    @Test(arguments: ["2024-01-10", "2024-01", "2024-01-10T14:12:52"])
    func theShorterFormsOfDateParseAreAccepted(date: String) {
        let error = refusal("updatedSince=\(date)")
        #expect(error == nil)
    }
}

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

    @Test(arguments: ["2999-01-01T00:00:00.000Z", "2018-11-27T13:52:01Z", "2024-01-10T14:12:52.201%2B02:00", "2024-01-10T14:12:52-05:00"])
    func anISO8601DateIsKeptAsWritten(date: String) throws {
        let decoded = date.replacingOccurrences(of: "%2B", with: "+")
        #expect(try PermissionsListAllQuery("updatedSince=\(date)").updatedSince == decoded)
    }

    @Test(arguments: ["yesterday", "2024-13-01T00:00:00Z", "1704895972"])
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
        withKnownIssue("an empty updatedSince is answered 400 instead of being ignored") {
            #expect(refusal("updatedSince=") == nil)
        }
    }

    /// `Date.parse` gives `NaN` for a field out of range; Foundation's ISO 8601 parser rolls it over.
    @Test(arguments: ["2024-01-10T25:00:00Z", "2024-01-10T14:61:00Z"])
    func aFieldOutOfRangeIsAnInvalidDateAsForDateParse(date: String) {
        let error = refusal("updatedSince=\(date)")
        withKnownIssue("ISO8601FormatStyle accepts out-of-range hours and minutes") {
            #expect(error == Self.invalidDate)
        }
    }

    /// `Date.parse` accepts every form of ECMAScript's date time string format: date only, and local time.
    @Test(arguments: ["2024-01-10", "2024-01", "2024-01-10T14:12:52"])
    func theShorterFormsOfDateParseAreAccepted(date: String) {
        let error = refusal("updatedSince=\(date)")
        withKnownIssue("only full ISO 8601 date-times with an offset are accepted") {
            #expect(error == nil)
        }
    }
}

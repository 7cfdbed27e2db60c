import HTTPTypes
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The query of `integrations.history` (spec 3.3).
@Suite struct IntegrationHistoryQueryTests {
    func refusal(_ query: String?) -> RocketChatError? {
        thrownError { () throws(RocketChatError) in try IntegrationHistoryQuery(query) }
    }

    @Test func theIdPageAndSortAreRead() throws {
        let query = try IntegrationHistoryQuery("id=abc&offset=2&count=0&sort=%7B%22_updatedAt%22%3A1%7D")
        #expect(query.integrationId == "abc")
        #expect(query.page == PageRequest(offset: 2, count: 0))
        #expect(query.sort == [SortKey(path: ["_updatedAt"], ascending: true)])
    }

    @Test func aMissingIdIsAjvsRequiredError() async throws {
        let error = try #require(refusal("offset=0"))
        #expect(error == .invalidParams("must have required property 'id'"))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"must have required property 'id' [invalid-params]","errorType":"invalid-params"}"#
        )
    }

    /// Blank as JavaScript's `trim()` sees it: U+FEFF is white space there.
    @Test(arguments: ["%20%20", "%20", "%09%0A%0D", "%E2%80%83", "%EF%BB%BF"])
    func aBlankIdIsTheHandlersInvalidIntegrationId(id: String) async throws {
        let error = try #require(refusal("id=\(id)"))
        #expect(error == .failure("Invalid integration id."))
        #expect(try await error.renderedBody == #"{"success":false,"error":"Invalid integration id."}"#)
    }

    /// Rocket.Chat's schema declares `id` with `minLength: 1`, so ajv answers an empty one before the handler's
    /// blank check does.
    @Test func anEmptyIdIsAjvsMinLengthError() {
        #expect(refusal("id=") == .invalidParams("must NOT have fewer than 1 characters"))
    }

    /// U+0085 is not white space to JavaScript: an id of it is an id, not a blank one.
    @Test func nextLineIsNotBlank() throws {
        #expect(try IntegrationHistoryQuery("id=%C2%85").integrationId == "\u{85}")
    }

    @Test func aRepeatedIdIsNotAString() {
        #expect(refusal("id=a&id=b") == .invalidParams("id must be string"))
    }

    @Test func theListingRulesApply() {
        #expect(refusal("id=x&name=y") == .invalidParams("must NOT have additional properties"))
        #expect(refusal("id=x&fields=%7B%7D") == .invalidParams("must NOT have additional properties"))
        #expect(refusal("id=x&offset=-1") == .invalidParams("offset must be a non-negative integer"))
    }

    @Test func sortTakesOnlyHistoryFields() throws {
        #expect(try IntegrationHistoryQuery("id=x&sort=%7B%22step%22%3A-1%7D").sort == [SortKey(path: ["step"], ascending: false)])
        #expect(
            refusal("id=x&sort=%7B%22name%22%3A1%7D")
                == .failure(#"Invalid sort parameter provided: "{"name":1}" [error-invalid-sort]"#, errorType: "error-invalid-sort")
        )
    }
}

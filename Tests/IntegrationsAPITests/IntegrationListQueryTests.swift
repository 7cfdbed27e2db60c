import HTTPTypes
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The query of `integrations.list` (spec 3.2).
@Suite struct IntegrationListQueryTests {
    func refusal(_ query: String?) -> RocketChatError? {
        thrownError { () throws(RocketChatError) in try IntegrationListQuery(query) }
    }

    @Test func withoutParametersEverythingVisibleIsListedInPagesOf50() throws {
        let query = try IntegrationListQuery(nil)
        #expect(query.page == PageRequest())
        #expect(query.sort.isEmpty)
        #expect(query.nameContains == nil)
        #expect(query.type == nil)
    }

    @Test func nameTypePageAndSortAreRead() throws {
        let query = try IntegrationListQuery("name=Rate_50%25&type=webhook-incoming&offset=1&count=2&sort=%7B%22name%22%3A-1%7D")
        #expect(query.nameContains == "Rate_50%")
        #expect(query.type == "webhook-incoming")
        #expect(query.page == PageRequest(offset: 1, count: 2))
        #expect(query.sort == [SortKey(path: ["name"], ascending: false)])
    }

    @Test func emptyFiltersAreIgnoredAsRocketChatIgnoresFalsyOnes() throws {
        let query = try IntegrationListQuery("name=&type=")
        #expect(query.nameContains == nil)
        #expect(query.type == nil)
    }

    @Test func theTypeIsNotValidatedOnlyMatched() throws {
        #expect(try IntegrationListQuery("type=anything").type == "anything")
    }

    @Test func aRepeatedOrOverlongFilterIsInvalidParams() {
        #expect(refusal("name=a&name=b") == .invalidParams("name must be string"))
        #expect(refusal("type=a&type=b") == .invalidParams("type must be string"))
        let long = String(repeating: "n", count: ListQuery.maximumValueLength + 1)
        #expect(refusal("name=\(long)") == .invalidParams("name must NOT have more than 1024 characters"))
    }

    @Test(arguments: ["fields=%7B%7D", "unknown=1", "id=x", "historyCount=1"])
    func parametersOfOtherEndpointsAreRefused(query: String) {
        #expect(refusal(query) == .invalidParams("must NOT have additional properties"))
    }

    @Test func sortTakesOnlyIntegrationFields() throws {
        #expect(
            try IntegrationListQuery("sort=%7B%22_createdBy.username%22%3A1%7D").sort == [SortKey(path: ["_createdBy", "username"], ascending: true)]
        )
        #expect(refusal("sort=%7B%22token%22%3A1%7D")?.errorType == "error-invalid-sort")
        #expect(refusal("sort=%7B%22step%22%3A1%7D")?.errorType == "error-invalid-sort")
    }
}

import HTTPTypes
import Testing

@testable import IntegrationsAPI

/// The query of `integrations.get` (spec 3.1, rows 12 and 19 of Rocket.Chat's end-to-end tests).
@Suite struct IntegrationGetQueryTests {
    func refusal(_ query: String?) -> RocketChatError? {
        thrownError { () throws(RocketChatError) in try IntegrationGetQuery(query) }
    }

    @Test func anIntegrationIdAloneGetsTenHistoryRecordsAndNoCreator() throws {
        let query = try IntegrationGetQuery("integrationId=ByehQjC44FwMeiLbX")
        #expect(query.integrationId == "ByehQjC44FwMeiLbX")
        #expect(query.createdBy == nil)
        #expect(query.historyCount == 10)
    }

    @Test func theIdIsPercentDecoded() throws {
        #expect(try IntegrationGetQuery("integrationId=a%2Fb+c").integrationId == "a/b c")
    }

    @Test func aMissingIntegrationIdIsAjvsRequiredError() async throws {
        for query in [nil, "", "createdBy=x", "historyCount=abc", "integrationid=x"] as [String?] {
            #expect(refusal(query) == .invalidParams("must have required property 'integrationId'"), "\(query ?? "nil")")
        }
        let body = try await #require(refusal(nil)).renderedBody
        #expect(body == #"{"success":false,"error":"must have required property 'integrationId' [invalid-params]","errorType":"invalid-params"}"#)
    }

    @Test func anEmptyIntegrationIdIsTheHandlersRequiredError() async throws {
        let error = try #require(refusal("integrationId="))
        #expect(error == .failure(#"The query parameter "integrationId" is required."#))
        #expect(try await error.renderedBody == #"{"success":false,"error":"The query parameter \"integrationId\" is required."}"#)
        // The empty id is refused before the other parameters are looked at.
        #expect(self.refusal("integrationId=&historyCount=abc&createdBy=a&createdBy=b") == error)
    }

    @Test func anIdOfUpTo128BytesIsAccepted() throws {
        let id = String(repeating: "a", count: IntegrationGetQuery.maximumIdLength)
        #expect(try IntegrationGetQuery("integrationId=\(id)").integrationId == id)
        #expect(refusal("integrationId=\(id)a") == .invalidParams("integrationId must NOT have more than 128 characters"))
    }

    @Test func aRepeatedIntegrationIdIsNotAString() {
        #expect(refusal("integrationId=a&integrationId=b") == .invalidParams("integrationId must be string"))
        #expect(refusal("integrationId=a&integrationId=a") == .invalidParams("integrationId must be string"))
    }

    @Test(arguments: ["integrationId=%ff%fe", "integrationId=%zz", "integrationId=%00", "integrationId=a%"])
    func aMalformedQueryIsInvalidParams(query: String) {
        #expect(refusal(query) == .invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)"))
    }

    @Test func createdByNarrowsTheLookupUnlessItIsEmpty() throws {
        #expect(try IntegrationGetQuery("integrationId=x&createdBy=fn5u45ui34fvb").createdBy == "fn5u45ui34fvb")
        #expect(try IntegrationGetQuery("integrationId=x&createdBy=").createdBy == nil)
        #expect(try IntegrationGetQuery("integrationId=x&createdBy").createdBy == nil)
    }

    @Test func createdByIsCheckedLikeTheId() {
        #expect(refusal("integrationId=x&createdBy=a&createdBy=b") == .invalidParams("createdBy must be string"))
        let long = String(repeating: "u", count: IntegrationGetQuery.maximumIdLength + 1)
        #expect(refusal("integrationId=x&createdBy=\(long)") == .invalidParams("createdBy must NOT have more than 128 characters"))
    }

    @Test(arguments: [("0", 0), ("1", 1), ("010", 10), ("99", 99), ("100", 100)])
    func historyCountIsAnIntegerFrom0To100(value: String, count: Int) throws {
        #expect(try IntegrationGetQuery("integrationId=x&historyCount=\(value)").historyCount == count)
    }

    @Test(arguments: ["101", "-1", "abc", "1.5", "", "1e2", "0010", "+1", "%2B1", "%201", "1%20", "999", "0x1", "%EF%BC%91"])
    func anyOtherHistoryCountIsInvalidParams(value: String) {
        #expect(refusal("integrationId=x&historyCount=\(value)") == .invalidParams("historyCount must be an integer from 0 to 100"))
    }

    @Test func aRepeatedHistoryCountIsNotAString() {
        #expect(refusal("integrationId=x&historyCount=10&historyCount=11") == .invalidParams("historyCount must be string"))
    }

    @Test func otherParametersAreIgnoredAsRocketChatsSchemaAllowsThem() throws {
        let query = try IntegrationGetQuery("integrationId=x&offset=3&anything=else")
        #expect(query.integrationId == "x")
        #expect(query.historyCount == 10)
    }
}

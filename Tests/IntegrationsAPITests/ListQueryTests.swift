import HTTPTypes
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The paging, sort and parameter rules shared by `integrations.list` and `integrations.history`.
@Suite struct ListQueryTests {
    static let sortFields: Set<String> = ["_id", "name", "_createdBy._id"]

    func listing(_ query: String?) throws(RocketChatError) -> ListQuery {
        try ListQuery(query, allowed: ["name"], sortFields: Self.sortFields)
    }

    func refusal(_ query: String?) -> RocketChatError? {
        thrownError { () throws(RocketChatError) in try listing(query) }
    }

    @Test func withoutParametersThePageIsRocketChatsDefault() throws {
        let listing = try listing(nil)
        #expect(listing.page == PageRequest(offset: 0, count: nil))
        #expect(listing.page.limit == 50)
        #expect(listing.sort.isEmpty)
    }

    @Test func offsetAndCountAreRead() throws {
        #expect(try listing("offset=5&count=20").page == PageRequest(offset: 5, count: 20))
        #expect(try listing("count=0").page.limit == nil)
        #expect(try listing("count=1000").page.limit == 100)
        #expect(try listing("offset=000000010").page.offset == 10)
    }

    @Test(arguments: ["-1", "abc", "1.5", "", "1e2", "+1", "%201", "0x10", "1234567890", "%EF%BC%91"])
    func anOffsetThatIsNotANonNegativeIntegerIsInvalidParams(value: String) {
        #expect(refusal("offset=\(value)") == .invalidParams("offset must be a non-negative integer"))
        #expect(refusal("count=\(value)") == .invalidParams("count must be a non-negative integer"))
    }

    @Test func aRepeatedOffsetIsNotAString() {
        #expect(refusal("offset=1&offset=1") == .invalidParams("offset must be string"))
    }

    @Test func theEndpointsOwnParametersAndQueryAreAllowed() throws {
        #expect(try listing("name=x&query=%7B%7D").parameters.all("name") == ["x"])
    }

    @Test(arguments: ["unknown=1", "fields=%7B%7D", "id=x", "Offset=1"])
    func unknownParametersAreRefusedAsAdditionalProperties(query: String) {
        #expect(refusal(query) == .invalidParams("must NOT have additional properties"))
    }

    @Test func unknownParametersAreReportedBeforeBadValues() {
        #expect(refusal("offset=-1&unknown=1") == .invalidParams("must NOT have additional properties"))
        #expect(refusal("sort=x&offset=-1") == .invalidParams("offset must be a non-negative integer"))
    }

    @Test func aValueOverTheLimitIsRefused() {
        let long = String(repeating: "a", count: ListQuery.maximumValueLength + 1)
        #expect(refusal("name=\(long)") == nil)  // the endpoint reads `name` itself
        #expect(refusal("sort=\(long)") == .invalidParams("sort must NOT have more than 1024 characters"))
    }

    @Test func sortKeepsTheOrderOfItsKeys() throws {
        let sort = try listing("sort=%7B%22name%22%3A-1%2C%22_createdBy._id%22%3A1%7D").sort
        #expect(sort == [SortKey(path: ["name"], ascending: false), SortKey(path: ["_createdBy", "_id"], ascending: true)])
    }

    @Test(arguments: [
        "notjson", #"{"name":2}"#, #"{"token":1}"#, "{}", #"{"name":1,"name":-1}"#, #"{"name":1} x"#, "[1]",
        #"{"_id":1,"name":1,"_createdBy._id":1,"_id":-1}"#, #"{"name":"1"}"#,
    ])
    func anInvalidSortNamesTheRawParameter(sort: String) throws {
        let encoded = sort.utf8.map { byte in
            let hex = Array("0123456789ABCDEF".utf8)
            return "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
        let error = try #require(refusal("sort=\(encoded)"))
        #expect(error == .failure("Invalid sort parameter provided: \"\(sort)\" [error-invalid-sort]", errorType: "error-invalid-sort"))
    }

    @Test func theInvalidSortAnswerIsRocketChatsBody() async throws {
        let error = try #require(refusal("sort=%7B%22name%22%3A2%7D"))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"Invalid sort parameter provided: \"{\"name\":2}\" [error-invalid-sort]","errorType":"error-invalid-sort"}"#
        )
    }
}

import HTTPTypes
import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The `X-User-Id` / `X-Auth-Token` pair of a request.
@Suite struct CallerCredentialsTests {
    func read(_ headers: HTTPFields) -> CallerCredentials? {
        CallerCredentials(testRequest(headers: headers))
    }

    @Test func bothHeadersMakeCredentialsWithTheTokenHashedAsStored() throws {
        let credentials = try #require(read([.xUserId: "aobEdbYhXfu5hkeqG", .xAuthToken: "9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq"]))
        #expect(credentials.userId == "aobEdbYhXfu5hkeqG")
        #expect(credentials.hashedToken == LoginToken.hash("9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq"))
        #expect(credentials.hashedToken != "9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq")
    }

    @Test func headerNamesAreCaseInsensitive() {
        #expect(read([HTTPField.Name("x-user-id")!: "u", HTTPField.Name("X-AUTH-TOKEN")!: "t"])?.userId == "u")
    }

    @Test func eitherHeaderMissingOrEmptyMeansNoCredentials() {
        #expect(read([:]) == nil)
        #expect(read([.xUserId: "u"]) == nil)
        #expect(read([.xAuthToken: "t"]) == nil)
        #expect(read([.xUserId: "", .xAuthToken: "t"]) == nil)
        #expect(read([.xUserId: "u", .xAuthToken: ""]) == nil)
    }

    @Test func implausiblyLongHeadersMeanNoCredentials() {
        let longest = String(repeating: "a", count: CallerCredentials.maximumLength)
        #expect(read([.xUserId: longest, .xAuthToken: longest]) != nil)
        #expect(read([.xUserId: longest + "a", .xAuthToken: "t"]) == nil)
        #expect(read([.xUserId: "u", .xAuthToken: longest + "a"]) == nil)
    }
}

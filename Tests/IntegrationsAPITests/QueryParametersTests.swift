import HTTPTypes
import Testing

@testable import IntegrationsAPI

/// The strict query-string parser under every route's parameters.
@Suite struct QueryParametersTests {
    @Test func anAbsentOrEmptyQueryHasNoParameters() throws {
        #expect(try QueryParameters(nil).keys.isEmpty)
        #expect(try QueryParameters("").keys.isEmpty)
        #expect(try QueryParameters("&&").keys.isEmpty)
    }

    @Test func percentEscapesAndPlusAreDecoded() throws {
        let parameters = try QueryParameters("a=b%20c&b=b+c&c=%2B&d=%c3%a9%C3%A9&e=%7B%22name%22%3A1%7D")
        #expect(parameters.all("a") == ["b c"])
        #expect(parameters.all("b") == ["b c"])
        #expect(parameters.all("c") == ["+"])
        #expect(parameters.all("d") == ["éé"])
        #expect(parameters.all("e") == [#"{"name":1}"#])
    }

    @Test func keysAreDecodedToo() throws {
        let parameters = try QueryParameters("integration%49d=x&created+by=y")
        #expect(parameters.all("integrationId") == ["x"])
        #expect(parameters.all("created by") == ["y"])
    }

    @Test func aKeyWithoutAValueHasTheEmptyValue() throws {
        let parameters = try QueryParameters("a&b=")
        #expect(parameters.all("a") == [""])
        #expect(parameters.all("b") == [""])
    }

    @Test func onlyTheFirstEqualsSignSeparatesTheValue() throws {
        #expect(try QueryParameters("a=b=c").all("a") == ["b=c"])
    }

    @Test func emptyPairsAreSkipped() throws {
        let parameters = try QueryParameters("&a=1&&b=2&")
        #expect(Set(parameters.keys) == ["a", "b"])
    }

    @Test func repeatedKeysKeepEveryValueInOrder() throws {
        let parameters = try QueryParameters("a=2&b=x&a=1&a=3")
        #expect(parameters.all("a") == ["2", "1", "3"])
        #expect(parameters.all("missing") == [])
    }

    @Test(arguments: ["a=%", "a=%2", "a=%zz", "a=%g0", "a=%0g", "a=x%2", "%=1", "a%=1"])
    func malformedEscapesAreRefused(query: String) {
        #expect(throws: QueryParameters.Malformed.self) { try QueryParameters(query) }
    }

    @Test(arguments: ["a=%ff%fe", "a=%80", "a=%c3", "a=%c0%af", "a=%ed%a0%80", "%ff=1"])
    func invalidUTF8IsRefused(query: String) {
        #expect(throws: QueryParameters.Malformed.self) { try QueryParameters(query) }
    }

    @Test(arguments: ["a=%00", "a=x%00y", "%00=1", "a%00b=1"])
    func nulCharactersAreRefused(query: String) {
        #expect(throws: QueryParameters.Malformed.self) { try QueryParameters(query) }
    }

    @Test func parseAnswersAMalformedQueryWithInvalidParams() {
        let error = thrownError { () throws(RocketChatError) in try QueryParameters.parse("integrationId=%zz") }
        #expect(error == .invalidParams("the query string is malformed (bad percent-encoding or invalid UTF-8)"))
        #expect(error?.error == "the query string is malformed (bad percent-encoding or invalid UTF-8) [invalid-params]")
        #expect(error?.errorType == "invalid-params")
        #expect(error?.status == .badRequest)
    }

    @Test func singleIsNilWhenAbsentAndTheValueWhenGivenOnce() throws {
        let parameters = try QueryParameters("a=xyz")
        #expect(try parameters.single("a", maximumLength: 3) == "xyz")
        #expect(try parameters.single("b", maximumLength: 3) == nil)
    }

    @Test func singleRefusesARepeatedParameterAsAjvRefusesAnArray() throws {
        let parameters = try QueryParameters("a=1&a=1")
        let error = thrownError { () throws(RocketChatError) in try parameters.single("a", maximumLength: 10) }
        #expect(error == .invalidParams("a must be string"))
    }

    @Test func singleRefusesAValueLongerThanTheLimitInUTF8Bytes() throws {
        let long = try QueryParameters("a=abcdef")
        #expect(
            thrownError { () throws(RocketChatError) in try long.single("a", maximumLength: 5) }
                == .invalidParams("a must NOT have more than 5 characters")
        )
        #expect(try long.single("a", maximumLength: 6) == "abcdef")
        // "éé" is two characters but four bytes.
        let accented = try QueryParameters("a=%C3%A9%C3%A9")
        #expect(thrownError { () throws(RocketChatError) in try accented.single("a", maximumLength: 3) } != nil)
        #expect(try accented.single("a", maximumLength: 4) == "éé")
    }
}

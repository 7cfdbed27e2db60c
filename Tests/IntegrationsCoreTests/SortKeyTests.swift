import IntegrationsCore
import Testing

/// `SortKey.parse`: a Rocket.Chat `sort` parameter (spec 2.3), restricted to whitelisted fields.
@Suite struct SortKeyTests {
    static func parse(_ text: String, _ fields: Set<String> = SortKey.integrationFields) throws(SortKey.Invalid) -> [SortKey] {
        try SortKey.parse(text, allowedFields: fields)
    }

    @Test func keysKeepTheirOrderAndDirection() throws {
        #expect(
            try Self.parse(#"{"name":1,"_createdAt":-1,"type":1}"#) == [
                SortKey(path: ["name"], ascending: true), SortKey(path: ["_createdAt"], ascending: false), SortKey(path: ["type"], ascending: true),
            ]
        )
    }

    @Test func aDottedFieldIsAPathIntoTheDocument() throws {
        #expect(try Self.parse(#"{"_createdBy.username":-1}"#) == [SortKey(path: ["_createdBy", "username"], ascending: false)])
    }

    @Test func whitespaceAroundTokensIsAllowed() throws {
        #expect(
            try Self.parse(" {\n \"name\" :\t-1 ,\r\"_id\": 1 } ") == [
                SortKey(path: ["name"], ascending: false), SortKey(path: ["_id"], ascending: true),
            ]
        )
    }

    @Test func eachListingHasItsOwnFields() throws {
        #expect(try Self.parse(#"{"step":1}"#, SortKey.historyFields) == [SortKey(path: ["step"], ascending: true)])
        #expect(throws: SortKey.Invalid.self) { try Self.parse(#"{"step":1}"#) }
        #expect(throws: SortKey.Invalid.self) { try Self.parse(#"{"name":1}"#, SortKey.historyFields) }
    }

    @Test(arguments: [
        "", "notjson", "{}", "[]", "[1]", #"{"name":2}"#, #"{"name":0}"#, #"{"name":-2}"#, #"{"name":"1"}"#, #"{"name":true}"#,
        #"{"name":null}"#, #"{"name":{"$gt":1}}"#, #"{"name":+1}"#, #"{"name":10000}"#, #"{name:1}"#, #"{'name':1}"#, #"{"na\"me":1}"#,
        #"{"token":1}"#, #"{"Name":1}"#, #"{"name":1,}"#, #"{"name":1} x"#, #"{"name":1}{"type":1}"#, #"{"name" 1}"#,
    ])
    func anythingButAFlatObjectOfKnownFieldsToOneOrMinusOneIsInvalid(text: String) {
        #expect(throws: SortKey.Invalid.self) { try Self.parse(text) }
    }

    @Test func aRepeatedFieldIsInvalid() {
        #expect(throws: SortKey.Invalid.self) { try Self.parse(#"{"name":1,"name":-1}"#) }
    }

    @Test func atMostThreeKeysAreAllowed() throws {
        #expect(try Self.parse(#"{"name":1,"type":1,"enabled":1}"#).count == SortKey.maximumKeys)
        #expect(throws: SortKey.Invalid.self) { try Self.parse(#"{"name":1,"type":1,"enabled":1,"event":1}"#) }
    }

    /// Rocket.Chat reads `sort` with `JSON.parse`, so `1.0` and `-1e0` are the numbers 1 and -1, and `01` is not JSON.
    @Test func numbersAreReadAsJSONNumbers() throws {
        #expect(try Self.parse(#"{"name":1.0}"#) == [SortKey(path: ["name"], ascending: true)])
        #expect(try Self.parse(#"{"name":-1e0}"#) == [SortKey(path: ["name"], ascending: false)])
        #expect(throws: SortKey.Invalid.self) { try Self.parse(#"{"name":01}"#) }
    }
}

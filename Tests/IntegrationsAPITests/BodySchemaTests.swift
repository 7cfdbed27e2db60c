import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The ajv subset that gives a bad body Rocket.Chat's first error message.
@Suite struct BodySchemaTests {
    func firstError(
        _ body: String,
        required: [String] = [],
        properties: [BodySchema.Property] = [],
        additionalProperties: Bool = true
    ) throws -> String? {
        BodySchema.firstError(of: try json(body), required: required, properties: properties, additionalProperties: additionalProperties)
    }

    @Test func aValidBodyHasNoError() throws {
        let properties: [BodySchema.Property] = [.string("a"), .boolean("b"), .number("c"), .strings("d")]
        #expect(
            try firstError(#"{"a":"x","b":false,"c":1.5,"d":["y"]}"#, required: ["a"], properties: properties, additionalProperties: false) == nil
        )
    }

    @Test func theFirstMissingPropertyIsNamedInTheOrderOfRequired() throws {
        #expect(try firstError(#"{"a":1}"#, required: ["c", "a", "b"]) == "must have required property 'c'")
        #expect(try firstError(#"{"c":1}"#, required: ["c", "a", "b"]) == "must have required property 'a'")
    }

    @Test func aNullValueIsPresent() throws {
        #expect(try firstError(#"{"a":null}"#, required: ["a"]) == nil)
    }

    @Test func requiredIsCheckedBeforeAdditionalProperties() throws {
        #expect(
            try firstError(#"{"x":1}"#, required: ["a"], properties: [.string("a")], additionalProperties: false)
                == "must have required property 'a'"
        )
    }

    @Test func unknownPropertiesAreRefusedOnlyWhenAdditionalPropertiesIsFalse() throws {
        #expect(try firstError(#"{"a":"x","x":1}"#, properties: [.string("a")], additionalProperties: false) == "must NOT have additional properties")
        #expect(try firstError(#"{"a":"x","x":1}"#, properties: [.string("a")], additionalProperties: true) == nil)
    }

    @Test func additionalPropertiesAreCheckedBeforeTheDeclaredOnes() throws {
        #expect(try firstError(#"{"a":5,"x":1}"#, properties: [.string("a")], additionalProperties: false) == "must NOT have additional properties")
    }

    @Test func propertiesAreCheckedInTheSchemasOrderNotTheBodys() throws {
        let properties: [BodySchema.Property] = [.boolean("first"), .string("second")]
        #expect(try firstError(#"{"second":1,"first":"x"}"#, properties: properties) == "must be boolean")
    }

    @Test func anAbsentOptionalPropertyIsNotChecked() throws {
        #expect(try firstError("{}", properties: [.string("a", minLength: 1), .boolean("b"), .number("c"), .strings("d")]) == nil)
    }

    @Test func aRepeatedKeyIsCheckedByItsLastValue() throws {
        #expect(try firstError(#"{"a":1,"a":"x"}"#, properties: [.string("a")]) == nil)
        #expect(try firstError(#"{"a":"x","a":1}"#, properties: [.string("a")]) == "must be string")
    }

    @Test(arguments: ["1", "true", "null", "[]", "{}"])
    func aStringPropertyRefusesOtherTypes(value: String) throws {
        #expect(try firstError(#"{"a":\#(value)}"#, properties: [.string("a")]) == "must be string")
    }

    @Test func thePatternIsUnanchored() throws {
        let type = BodySchema.Property.string("type", pattern: "webhook-incoming")
        #expect(try firstError(#"{"type":"webhook-incoming"}"#, properties: [type]) == nil)
        #expect(try firstError(#"{"type":"xwebhook-incoming-invalid"}"#, properties: [type]) == nil)
        #expect(try firstError(#"{"type":"webhook-Incoming"}"#, properties: [type]) == #"must match pattern "webhook-incoming""#)
        #expect(try firstError(#"{"type":""}"#, properties: [type]) == #"must match pattern "webhook-incoming""#)
    }

    @Test func minLengthCountsCharactersNotBytes() throws {
        #expect(try firstError(#"{"a":""}"#, properties: [.string("a", minLength: 1)]) == "must NOT have fewer than 1 characters")
        #expect(try firstError(#"{"a":"é"}"#, properties: [.string("a", minLength: 1)]) == nil)
        #expect(try firstError(#"{"a":"éé"}"#, properties: [.string("a", minLength: 3)]) == "must NOT have fewer than 3 characters")
    }

    @Test(arguments: [#""true""#, "0", "1", "null", "[]"])
    func aBooleanPropertyTakesOnlyTrueOrFalse(value: String) throws {
        #expect(try firstError(#"{"a":\#(value)}"#, properties: [.boolean("a")]) == "must be boolean")
        #expect(try firstError(#"{"a":true}"#, properties: [.boolean("a")]) == nil)
    }

    @Test func aNumberPropertyTakesAnyJSONNumberButNoString() throws {
        for number in ["0", "-2", "1.5", "1e400", "12345678901234567890123"] {
            #expect(try firstError(#"{"a":\#(number)}"#, properties: [.number("a")]) == nil, "\(number)")
        }
        #expect(try firstError(#"{"a":"3"}"#, properties: [.number("a")]) == "must be number")
        #expect(try firstError(#"{"a":null}"#, properties: [.number("a")]) == "must be number")
    }

    @Test func aStringsPropertyChecksTheArrayThenEachElement() throws {
        let urls = BodySchema.Property.strings("urls", minLength: 1)
        #expect(try firstError(#"{"urls":"http://a"}"#, properties: [urls]) == "must be array")
        #expect(try firstError(#"{"urls":["http://a",5]}"#, properties: [urls]) == "must be string")
        #expect(try firstError(#"{"urls":["http://a",""]}"#, properties: [urls]) == "must NOT have fewer than 1 characters")
        #expect(try firstError(#"{"urls":[]}"#, properties: [urls]) == nil)
        #expect(try firstError(#"{"urls":[""]}"#, properties: [.strings("urls")]) == nil)
    }

    @Test func oneOfIsValidWhenExactlyOneBranchIs() {
        #expect(BodySchema.oneOf([nil, "must be string"]) == nil)
        #expect(BodySchema.oneOf(["must be string", nil, "must be boolean"]) == nil)
    }

    /// ajv (`allErrors: false`) keeps each failing branch's first error and appends its verdict, joined as
    /// Rocket.Chat's `validateParams` joins messages.
    @Test func whenNoBranchIsValidEveryBranchsErrorPrecedesTheVerdict() {
        #expect(
            BodySchema.oneOf(["must have required property 'type'", "must have required property 'type'", "must have required property 'type'"])
                == "must have required property 'type'\n must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf"
        )
        #expect(BodySchema.oneOf(["a", "b"]) == "a\n b\n must match exactly one schema in oneOf")
    }

    @Test func twoValidBranchesFailOneOf() {
        #expect(BodySchema.oneOf([nil, nil]) == "must match exactly one schema in oneOf")
    }

    /// ajv does not reset the errors of the branches that failed when more than one passed: `{type:
    /// "webhook-outgoing", integrationId, target_url}` on `integrations.remove` is answered
    /// `must match pattern "webhook-incoming"\n must match exactly one schema in oneOf`.
    @Test func withTwoValidBranchesTheFailingBranchsErrorIsKeptAsAjvKeepsIt() {
        #expect(BodySchema.oneOf(["x", nil, nil]) == "x\n must match exactly one schema in oneOf")
    }
}

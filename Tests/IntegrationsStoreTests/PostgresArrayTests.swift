import Testing

@testable import IntegrationsStore

/// Text-format `text[]` literals, which carry user text (history documents, role and member names).
@Suite struct PostgresArrayTests {
    @Test func quotesAndBackslashesAreEscapedEvenWhenACombiningMarkFollows() {
        // A quote or backslash followed by U+0301 is one Character: escaping must look at scalars.
        #expect(PostgresArray.literal(["\"\u{301}", "\\\u{301}"]) == "{\"\\\"\u{301}\",\"\\\\\u{301}\"}")
        #expect(PostgresArray.literal(["a,b", "{c}", "plain"]) == #"{"a,b","{c}","plain"}"#)
        #expect(PostgresArray.literal([String]()) == "{}")
    }

    @Test func nilElementsAreNulls() {
        #expect(PostgresArray.literal(["x", nil, "\"\u{301}"]) == "{\"x\",NULL,\"\\\"\u{301}\"}")
    }
}

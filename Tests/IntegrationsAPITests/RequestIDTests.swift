import HTTPTypes
import Testing

@testable import IntegrationsAPI

/// The id that ties a request's log lines together.
@Suite struct RequestIDTests {
    static func isGenerated(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    @Test(arguments: ["abc-123.def_4:5", "a", "0123456789abcdef0123456789abcdef", "Z", String(repeating: "x", count: 128)])
    func lettersDigitsAndFourPunctuationMarksAreAcceptable(id: String) {
        #expect(RequestID.isAcceptable(id))
    }

    @Test(arguments: ["", "a b", "a<script>", "é", "a/b", "a\nb", "a\"b", "a,b", String(repeating: "x", count: 129)])
    func anythingElseIsNotAcceptable(id: String) {
        #expect(!RequestID.isAcceptable(id))
    }

    @Test func aGeneratedIdIs32LowercaseHexDigits() {
        var seen = Set<String>()
        for _ in 0..<100 {
            let id = RequestID.generate()
            #expect(Self.isGenerated(id), "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 100)
    }

    @Test func everyNibbleOfAGeneratedIdVaries() {
        // Each of the 32 positions takes more than one digit over many ids (no position stuck at "0").
        let ids = (0..<200).map { _ in Array(RequestID.generate().utf8) }
        for position in 0..<32 {
            #expect(Set(ids.map { $0[position] }).count > 1, "position \(position)")
        }
    }

    @Test func theCallersAcceptableIdIsKept() {
        #expect(RequestID.of([RequestID.headerName: "abc-123.def_4:5"]) == "abc-123.def_4:5")
    }

    @Test func anUnacceptableOrMissingIdIsReplaced() {
        #expect(Self.isGenerated(RequestID.of([RequestID.headerName: "a b<script>"])))
        #expect(Self.isGenerated(RequestID.of([:])))
    }

    @Test func theHeaderNameIsCaseInsensitive() {
        #expect(RequestID.of([HTTPField.Name("x-request-id")!: "given"]) == "given")
    }
}

import IntegrationsCore
import Testing

@Suite struct JSONDocumentSplitterTests {
    func split(_ text: String, chunk: Int) throws -> [(Int, String)] {
        var splitter = JSONDocumentSplitter()
        var documents: [JSONDocumentSplitter.Document] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            documents += try splitter.feed(bytes[index..<min(index + chunk, bytes.count)])
            index += chunk
        }
        documents += try splitter.finish()
        return documents.map { ($0.line, String(decoding: $0.bytes, as: UTF8.self)) }
    }

    @Test(arguments: [1, 3, 1000])
    func linesAndArraysGiveTheSameDocuments(chunk: Int) throws {
        let lines = "{\"_id\":\"a\",\"s\":\"x}\\\"y\"}\n\n{\"_id\":\"b\",\"n\":[1,{\"c\":2}]}\n"
        let array = "[\n  {\"_id\":\"a\",\"s\":\"x}\\\"y\"},\n  {\"_id\":\"b\",\"n\":[1,{\"c\":2}]}\n]\n"
        let fromLines = try split(lines, chunk: chunk)
        let fromArray = try split(array, chunk: chunk)
        #expect(fromLines.map(\.1) == [#"{"_id":"a","s":"x}\"y"}"#, #"{"_id":"b","n":[1,{"c":2}]}"#])
        #expect(fromArray.map(\.1) == fromLines.map(\.1))
        #expect(fromLines.map(\.0) == [1, 3])
        #expect(fromArray.map(\.0) == [2, 3])
    }

    @Test func cutOffInputIsReported() {
        var splitter = JSONDocumentSplitter()
        #expect(throws: JSONDocumentSplitter.Failure.self) {
            _ = try splitter.feed(Array("{\"a\":".utf8))
            _ = try splitter.finish()
        }
    }
}

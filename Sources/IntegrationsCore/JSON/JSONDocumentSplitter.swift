/// Splits what `mongoexport` writes into single documents without parsing them: one JSON document per line,
/// or (`--jsonArray`) one array of documents. Fed chunk by chunk, so files of any size stream in bounded memory.
public struct JSONDocumentSplitter {
    /// One document's bytes and the line it starts on (1-based).
    public struct Document: Sendable {
        public let line: Int
        public let bytes: [UInt8]
    }

    /// The text around the documents is not a sequence or an array of JSON values.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let description: String
    }

    private enum Mode { case undecided, sequence, array, arrayEnded }

    private var mode = Mode.undecided
    private var current: [UInt8] = []
    private var startLine = 1
    private var line = 1
    private var depth = 0
    private var inString = false
    private var escaped = false

    public init() {}

    /// Feeds the next chunk; returns the documents it completed.
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws(Failure) -> [Document] {
        var documents: [Document] = []
        for byte in chunk {
            try consume(byte, into: &documents)
            if byte == 0x0A { line += 1 }
        }
        return documents
    }

    /// Ends the input; returns the last document, if one was still open.
    public mutating func finish() throws(Failure) -> [Document] {
        if inString || depth > 0 { throw Failure(line: startLine, description: "the last document is cut off") }
        if mode == .array { throw Failure(line: line, description: "the array is not closed") }
        var documents: [Document] = []
        flush(into: &documents)
        return documents
    }

    private mutating func consume(_ byte: UInt8, into documents: inout [Document]) throws(Failure) {
        if inString {
            current.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                if depth == 0 { flush(into: &documents) }
            }
            return
        }
        let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        switch mode {
        case .undecided:
            if isSpace { return }
            if byte == UInt8(ascii: "[") {
                mode = .array
                return
            }
            mode = .sequence
        case .arrayEnded:
            if isSpace { return }
            throw Failure(line: line, description: "text after the closing bracket")
        case .array where depth == 0 && current.isEmpty:
            if isSpace || byte == UInt8(ascii: ",") { return }
            if byte == UInt8(ascii: "]") {
                mode = .arrayEnded
                return
            }
        case .array where depth == 0:
            // A scalar element ends at a comma or the closing bracket.
            if isSpace || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                flush(into: &documents)
                if byte == UInt8(ascii: "]") { mode = .arrayEnded }
                return
            }
        case .sequence where depth == 0 && isSpace:
            flush(into: &documents)
            return
        default:
            break
        }
        if current.isEmpty { startLine = line }
        current.append(byte)
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth < 0 { throw Failure(line: line, description: "unbalanced \(Character(Unicode.Scalar(byte)))") }
            if depth == 0 { flush(into: &documents) }
        default: break
        }
    }

    private mutating func flush(into documents: inout [Document]) {
        guard !current.isEmpty else { return }
        documents.append(Document(line: startLine, bytes: current))
        current.removeAll(keepingCapacity: true)
    }
}

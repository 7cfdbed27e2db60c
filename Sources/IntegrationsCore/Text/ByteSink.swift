/// Something bytes of text are appended to, one at a time or in runs: `[UInt8]` here, and NIO's `ByteBuffer`
/// in the HTTP module (which conforms there, so that this module needs no NIO). Lets one writer, such as
/// ``JSONString``, serve every output type.
public protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: some Sequence<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}

import IntegrationsCore
import NIOCore

/// Lets the domain's text writers (``JSONString``, ``Hex``) write straight into a response buffer.
extension ByteBuffer: ByteSink {
    public mutating func append(_ byte: UInt8) {
        writeInteger(byte)
    }

    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        writeBytes(bytes)
    }
}

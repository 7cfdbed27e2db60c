import IntegrationsCore
import NIOCore

/// Writes JSON text straight into a `ByteBuffer`: envelopes around stored JSON are spliced, not encoded.
struct JSONWriter {
    private(set) var buffer: ByteBuffer
    private var needsComma = false

    init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func beginObject() {
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Between two elements of an array.
    mutating func elementSeparator() {
        buffer.writeInteger(UInt8(ascii: ","))
    }

    /// Starts a field whose value the caller writes next (an object, or spliced bytes).
    mutating func key(_ key: String) {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
        writeString(key)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func field(_ key: String, string value: String) {
        self.key(key)
        writeString(value)
        needsComma = true
    }

    /// A field whose value is already JSON text.
    mutating func field(_ key: String, raw json: String) {
        self.key(key)
        buffer.writeString(json)
        needsComma = true
    }

    /// A field whose value is JSON text held in memory elsewhere (for example a libpq result).
    mutating func field(_ key: String, rawBytes json: UnsafeRawBufferPointer) {
        self.key(key)
        buffer.writeBytes(json)
        needsComma = true
    }

    /// Rocket.Chat's `API.v1.success()`: `{"success":true}`.
    static var success: ByteBuffer {
        ByteBuffer(staticString: #"{"success":true}"#)
    }

    /// Rocket.Chat's `API.v1.success({<key>: <document>})`: `{"<key>": <JSON text>, "success": true}`.
    static func success(_ key: String, raw json: String) -> ByteBuffer {
        var writer = JSONWriter(capacity: json.utf8.count + key.utf8.count + 24)
        writer.beginObject()
        writer.field(key, raw: json)
        writer.field("success", raw: "true")
        writer.endObject()
        return writer.buffer
    }

    /// Rocket.Chat's `{"status":"success","data":{…},"success":true}` envelope (login, logout).
    static func statusSuccess(_ data: (inout JSONWriter) -> Void) -> ByteBuffer {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.field("status", string: "success")
        writer.key("data")
        writer.beginObject()
        data(&writer)
        writer.endObject()
        writer.field("success", raw: "true")
        writer.endObject()
        return writer.buffer
    }

    private mutating func writeString(_ string: String) {
        JSONString.write(string, to: &buffer)
    }
}

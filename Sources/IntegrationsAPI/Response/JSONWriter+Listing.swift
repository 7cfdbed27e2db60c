import IntegrationsStore
import NIOCore

extension JSONWriter {
    /// Rocket.Chat's list envelope: `{"<key>": [...], "offset", "items", "count", "total", "success"}`, with the
    /// page's documents spliced as the store read them.
    static func page(_ page: PageOfDocuments, key: String, offset: Int) -> ByteBuffer {
        var writer = JSONWriter(capacity: 4096)
        writer.beginObject()
        page.withDocuments { writer.field(key, rawBytes: $0) }
        writer.field("offset", raw: String(offset))
        writer.field("items", raw: String(page.count))
        writer.field("count", raw: String(page.count))
        writer.field("total", raw: String(page.total))
        writer.field("success", raw: "true")
        writer.endObject()
        return writer.buffer
    }
}

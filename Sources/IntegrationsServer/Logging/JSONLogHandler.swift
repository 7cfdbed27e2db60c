import Foundation
import IntegrationsCore
import Logging

/// swift-log lines as JSON objects, one per line on standard output (`LOG_FORMAT=json`), for log collectors:
/// `{"time":"2026-11-29T14:15:27.518Z","level":"info","message":"request","logger":"integrations",
/// "source":"IntegrationsAPI", …metadata}`. Each line is one `write`, so the lines of several processes sharing
/// the output never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var text = #"{"time":"# + Self.quoted(RocketChatDate.string(from: Date()))
        text += #","level":"# + Self.quoted(event.level.rawValue)
        text += #","message":"# + Self.quoted(event.message.description)
        text += #","logger":"# + Self.quoted(label)
        text += #","source":"# + Self.quoted(event.source)
        if let error = event.error { text += #","error":"# + Self.quoted("\(error)") }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            text += "," + Self.quoted(key) + ":" + Self.render(value)
        }
        text += "}\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func quoted(_ string: String) -> String {
        JSONValue.string(string).text
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted(by: { $0.key < $1.key }).map { quoted($0.key) + ":" + render($0.value) }.joined(separator: ",") + "}"
        }
    }
}

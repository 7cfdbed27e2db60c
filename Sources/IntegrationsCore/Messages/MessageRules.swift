/// The checks of Rocket.Chat's `sendMessage.ts` (`validateMessage`, `validateAttachment` and their href validators)
/// that need no database, with the exact texts of the errors they throw.
///
/// Those checks are Meteor `check()` calls on `objectMaybeIncluding` patterns: each declared field whose value is
/// not null is checked in turn, and a failure surfaces as a `Match.Error` whose message has one `Match error: `
/// prefix per `check()` it passed through and ends with ` in field <name>` (`Match error: Match error: Expected
/// string, got number in field color`); the href validators throw a plain `Error('Invalid href value provided')`,
/// which passes through unchanged; a `null` element of `fields` or `actions` makes the pattern read a property of
/// null, a `TypeError` (`Cannot read properties of null (reading 'short')`).
public enum MessageRules {
    public static let invalidHref = MessageError("Invalid href value provided")

    /// What one field of an `objectMaybeIncluding` pattern accepts.
    enum Pattern {
        case string, number, boolean
        /// `Match.OneOf(String, Number)`, `Match.OneOf(String, Number, Boolean)`.
        case oneOf([Pattern])
        /// `[Match.Any]`.
        case array
        /// `Object` (`Match.ObjectIncluding({})`).
        case object
        /// `validFullURLParam`: an absolute URL (or a file-upload path), not `javascript:`.
        case fullURL

        /// `String`, `Number`, `Boolean`: the value's `typeof`.
        private static func type(_ name: String, _ value: JSONValue) -> Failure? {
            value.javaScriptTypeName == name ? nil : .match("Expected \(name), got \(value.javaScriptTypeName)")
        }

        /// The failure of `check(value, pattern)` as `testSubtree` reports it (before `check` prefixes it), or a
        /// plain error the pattern throws.
        func failure(_ value: JSONValue) -> Failure? {
            switch self {
            case .string: return Self.type("string", value)
            case .number: return Self.type("number", value)
            case .boolean: return Self.type("boolean", value)
            case .oneOf(let choices):
                return choices.contains { $0.failure(value) == nil }
                    ? nil : .match("Failed Match.OneOf, Match.Maybe or Match.Optional validation")
            case .array:
                if case .array = value { return nil }
                return .match("Expected array, got \(value.javaScriptJSON)")
            case .object:
                switch value {
                case .object: return nil
                case .array: return .match("Expected plain object")
                default: return .match("Expected object, got \(value.javaScriptTypeName)")
                }
            case .fullURL:
                // The validator's own `check(value, String)` fails inside a `Match.Where`, one `check` deeper.
                guard case .string(let text) = value else { return .match("Match error: Expected string, got \(value.javaScriptTypeName)") }
                return fullURLError(text).map(Failure.plain)
            }
        }
    }

    enum Failure: Equatable {
        case match(String)
        case plain(MessageError)
    }

    /// `check(value, objectMaybeIncluding(fields))`: the first declared field whose non-null value fails.
    static func check(_ value: JSONValue, _ fields: KeyValuePairs<String, Pattern>) -> MessageError? {
        if case .null = value, let first = fields.first {
            return MessageError("Cannot read properties of null (reading '\(first.key)')")
        }
        for (name, pattern) in fields {
            guard let fieldValue = value[name], fieldValue != .null else { continue }
            switch pattern.failure(fieldValue) {
            case nil: continue
            case .plain(let error): return error
            // The inner `check` adds one prefix, the outer one a second and the field's name.
            case .match(let message): return MessageError("Match error: Match error: \(message) in field \(name)")
            }
        }
        return nil
    }

    static let attachmentFields: KeyValuePairs<String, Pattern> = [
        "color": .string, "text": .string, "ts": .oneOf([.string, .number]), "thumb_url": .fullURL, "button_alignment": .string,
        "actions": .array, "message_link": .fullURL, "collapsed": .boolean, "author_name": .string, "author_link": .fullURL,
        "author_icon": .fullURL, "title": .string, "title_link": .fullURL, "title_link_download": .boolean, "image_dimensions": .object,
        "image_url": .fullURL, "image_preview": .string, "image_type": .string, "image_size": .number, "audio_url": .fullURL,
        "audio_type": .string, "audio_size": .number, "video_url": .fullURL, "video_type": .string, "video_size": .number,
        "fields": .array,
    ]

    static let fieldFields: KeyValuePairs<String, Pattern> = [
        "short": .boolean, "title": .string, "value": .oneOf([.string, .number, .boolean]),
    ]

    static let actionFields: KeyValuePairs<String, Pattern> = [
        "type": .string, "text": .string, "url": .fullURL, "image_url": .fullURL, "is_webview": .boolean,
        "webview_height_ratio": .string, "msg": .string, "msg_in_chat_window": .boolean,
    ]

    /// `validateBodyAttachments`: each attachment, then its fields (whose `value` becomes text, as Rocket.Chat
    /// stores it), then its actions; the first error, with `attachments` changed as far as Rocket.Chat got.
    public static func validate(_ attachments: inout [JSONValue]) -> MessageError? {
        for index in attachments.indices {
            let attachment = attachments[index]
            if let error = check(attachment, attachmentFields) { return error }
            if case .array(var fields) = attachment["fields"], !fields.isEmpty {
                for fieldIndex in fields.indices {
                    if let error = check(fields[fieldIndex], fieldFields) { return error }
                    if let value = fields[fieldIndex]["value"] {
                        fields[fieldIndex] = fields[fieldIndex].setting("value", .string(javaScriptString(value)))
                    }
                }
                attachments[index] = attachment.setting("fields", .array(fields))
            }
            if case .array(let actions) = attachment["actions"] {
                for action in actions {
                    if let error = check(action, actionFields) { return error }
                }
            }
        }
        return nil
    }

    /// `String(value)` of a field value the check let through (text, a number, a boolean, or `null`).
    private static func javaScriptString(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let literal): JavaScriptNumber.string(literal)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array, .object: value.javaScriptJSON
        }
    }

    /// `validFullURLParam` of a text: absolute (`http://`, `https://`, `data:`) or under `/file-upload/`, and not
    /// `javascript:`.
    public static func fullURLError(_ value: String) -> MessageError? {
        guard isAbsoluteURL(value) || value.hasPrefix(fileUploadPath), !isJavaScriptURL(value) else { return invalidHref }
        return nil
    }

    /// `validPartialURLParam` of a text: as ``fullURLError(_:)``, or relative.
    public static func partialURLError(_ value: String) -> MessageError? {
        guard isRelativeURL(value) || isAbsoluteURL(value) || value.hasPrefix(fileUploadPath), !isJavaScriptURL(value) else {
            return invalidHref
        }
        return nil
    }

    /// `FileUpload.getPath()`.
    static let fileUploadPath = "/file-upload/"

    /// `/^(https?:\/\/|data:)/`.
    static func isAbsoluteURL(_ value: String) -> Bool {
        value.hasPrefix("http://") || value.hasPrefix("https://") || value.hasPrefix("data:")
    }

    /// `/^javascript:/i` (without the `u` flag, only ASCII letters match case-insensitively).
    static func isJavaScriptURL(_ value: String) -> Bool {
        let prefix = Array("javascript:".utf8)
        let bytes = Array(value.utf8.prefix(prefix.count))
        guard bytes.count == prefix.count else { return false }
        return zip(bytes, prefix).allSatisfy { byte, expected in
            let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            return lowered == expected
        }
    }

    /// `/^[^\/]+\/[^\/].*$|^\/[^\/].*$/gim`: some line (the `m` flag) from whose start the first `/` has a
    /// character after it that is not `/`. `[^\/]` crosses line ends, `.*` and `$` always find one.
    static func isRelativeURL(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        var lineStart = true
        var index = 0
        while index < scalars.count {
            if lineStart, let slash = scalars[index...].firstIndex(of: "/"), slash + 1 < scalars.count, scalars[slash + 1] != "/" {
                return true
            }
            lineStart = isLineTerminator(scalars[index])
            index += 1
        }
        return false
    }

    /// ECMAScript's LineTerminator: LF, CR, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    private static func isLineTerminator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}

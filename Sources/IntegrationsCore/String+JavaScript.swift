extension String {
    /// JavaScript's `trim()`: removes ECMAScript's WhiteSpace and LineTerminator code points from both ends
    /// (U+FEFF among them, U+0085 not), which differ from Foundation's `whitespacesAndNewlines`.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isJavaScriptWhitespace }),
            let last = scalars.lastIndex(where: { !$0.isJavaScriptWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// lodash's `_.escape`, which Rocket.Chat applies to user input it puts into an error's reason.
    public var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

extension Unicode.Scalar {
    /// ECMAScript's WhiteSpace (TAB, VT, FF, ZWNBSP and the Space_Separator category) and LineTerminator.
    public var isJavaScriptWhitespace: Bool {
        switch value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}

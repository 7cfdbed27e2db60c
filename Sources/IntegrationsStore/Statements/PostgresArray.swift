/// Text-format `text[]` parameters.
enum PostgresArray {
    /// `{"a","b"}`: every element quoted, so commas, braces, quotes and backslashes stay inside it.
    static func literal(_ values: [String]) -> String {
        "{"
            + values.map { value in
                // By scalar, not Character: a quote followed by a combining mark is one Character, and must
                // still be escaped.
                var element = String.UnicodeScalarView()
                element.append("\"")
                for scalar in value.unicodeScalars {
                    if scalar == "\\" || scalar == "\"" { element.append("\\") }
                    element.append(scalar)
                }
                element.append("\"")
                return String(element)
            }.joined(separator: ",") + "}"
    }

    /// `{"a",NULL}`: as ``literal(_:)``, with `nil` elements as SQL NULLs.
    static func literal(_ values: [String?]) -> String {
        "{" + values.map { $0.map { literal([$0]).dropFirst().dropLast() }.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }
}

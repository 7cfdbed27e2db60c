/// Text-format `text[]` parameters.
enum PostgresArray {
    /// `{"a","b"}`: every element quoted, so commas, braces, quotes and backslashes stay inside it.
    static func literal(_ values: [String]) -> String {
        "{"
            + values.map { value in
                var element = "\""
                for character in value {
                    if character == "\\" || character == "\"" { element.append("\\") }
                    element.append(character)
                }
                return element + "\""
            }.joined(separator: ",") + "}"
    }

    /// `{"a",NULL}`: as ``literal(_:)``, with `nil` elements as SQL NULLs.
    static func literal(_ values: [String?]) -> String {
        "{" + values.map { $0.map { literal([$0]).dropFirst().dropLast() }.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }
}

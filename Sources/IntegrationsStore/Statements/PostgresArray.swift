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
}

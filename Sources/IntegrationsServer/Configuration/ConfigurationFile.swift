import Foundation

/// The configuration file format: `KEY = value` lines; `#` starts a comment line; blank lines are ignored;
/// a value may be wrapped in double quotes.
enum ConfigurationFile {
    static func parse(path: String) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ServiceConfiguration.Invalid("file \(path)", "cannot be read: \(error.localizedDescription)")
        }
        return try parse(text: text, name: path)
    }

    static func parse(text: String, name: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ServiceConfiguration.Invalid("\(name):\(index + 1)", "is not a KEY = value line")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            values[key] = value
        }
        return values
    }
}

import Foundation

/// Rocket.Chat's checks of a new user (`validateUserData` of `saveUser`), in its order, with its errors.
public enum NewUserRules {
    public static let method = "insertOrUpdateUser"

    /// The checks that need no database: required fields, the username pattern, the email format.
    public static func validate(username: String, name: String, email: String?, password: String) throws(MeteorError) {
        guard !name.trimmed.isEmpty else {
            throw MeteorError("error-the-field-is-required", "The field Name is required", details: [("method", method), ("field", "Name")])
        }
        guard !username.trimmed.isEmpty else {
            throw MeteorError("error-the-field-is-required", "The field Username is required", details: [("method", method), ("field", "Username")])
        }
        guard isValidUsername(username) else {
            throw MeteorError(
                "error-input-is-not-a-valid-field",
                "\(username.htmlEscaped) is not a valid username",
                details: [("method", method), ("input", username), ("field", "Username")]
            )
        }
        guard !password.isEmpty else {
            throw MeteorError("error-the-field-is-required", "The field Password is required", details: [("method", method), ("field", "Password")])
        }
        if let email, !isValidEmail(email) {
            throw MeteorError("error-invalid-email", "Invalid email \(email)", details: [("method", method), ("email", email)])
        }
    }

    /// The username is taken (case-insensitively). Reasons carry user input HTML-escaped, as Rocket.Chat's.
    public static func usernameTaken(_ username: String) -> MeteorError {
        MeteorError("error-field-unavailable", "\(username.htmlEscaped) is already in use :(", details: [("method", method), ("field", username)])
    }

    public static func emailTaken(_ email: String) -> MeteorError {
        MeteorError("error-field-unavailable", "\(email.htmlEscaped) is already in use :(", details: [("method", method), ("field", email)])
    }

    /// Rocket.Chat's default `UTF8_User_Names_Validation`, `[0-9a-zA-Z-_.]+`.
    public static func isValidUsername(_ username: String) -> Bool {
        !username.isEmpty
            && username.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".")
            }
    }

    /// One `@`, something before it, a dot after it, no spaces: the shape Rocket.Chat's `validateEmail` accepts.
    public static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        // JavaScript's `\s`: the white space of `trim()`.
        return !email.unicodeScalars.contains(where: \.isJavaScriptWhitespace)
    }
}

import IntegrationsCore
import Testing

/// `NewUserRules`, the checks of Rocket.Chat's `validateUserData` that need no database, in its order.
@Suite struct NewUserRulesTests {
    static let method = "insertOrUpdateUser"

    static func required(_ field: String) -> MeteorError {
        MeteorError("error-the-field-is-required", "The field \(field) is required", details: [("method", method), ("field", field)])
    }

    static func validate(
        username: String = "new.user",
        name: String = "New User",
        email: String? = "new.user@example.com",
        password: String = "secret"
    ) throws(MeteorError) {
        try NewUserRules.validate(username: username, name: name, email: email, password: password)
    }

    @Test func aCompleteUserIsValid() throws {
        try Self.validate()
        try Self.validate(email: nil)
    }

    /// Name, then username, then its pattern, then password, then email: each call lacks one fewer.
    @Test func fieldsAreCheckedInRocketChatsOrder() {
        #expect(throws: Self.required("Name")) { try Self.validate(username: "bad name", name: "", email: "bad", password: "") }
        #expect(throws: Self.required("Username")) { try Self.validate(username: "", email: "bad", password: "") }
        #expect(
            throws: MeteorError(
                "error-input-is-not-a-valid-field",
                "bad name is not a valid username",
                details: [("method", Self.method), ("input", "bad name"), ("field", "Username")]
            )
        ) {
            try Self.validate(username: "bad name", email: "bad", password: "")
        }
        #expect(throws: Self.required("Password")) { try Self.validate(email: "bad", password: "") }
        #expect(throws: MeteorError("error-invalid-email", "Invalid email bad", details: [("method", Self.method), ("email", "bad")])) {
            try Self.validate(email: "bad")
        }
    }

    @Test(arguments: ["", "   ", "\n"])
    func aBlankNameIsRequired(name: String) {
        #expect(throws: Self.required("Name")) { try Self.validate(name: name) }
    }

    @Test(arguments: ["", "   "])
    func aBlankUsernameIsRequired(username: String) {
        #expect(throws: Self.required("Username")) { try Self.validate(username: username) }
    }

    /// Rocket.Chat's default `UTF8_User_Names_Validation`, `[0-9a-zA-Z-_.]+`.
    @Test(arguments: ["bad name", " padded", "é", "a/b", "a@b", "a+b", "[x]", "`x`", "x\n"])
    func aUsernameOutsideThePatternIsNotAValidField(username: String) {
        #expect(
            throws: MeteorError(
                "error-input-is-not-a-valid-field",
                "\(username) is not a valid username",
                details: [("method", Self.method), ("input", username), ("field", "Username")]
            )
        ) {
            try Self.validate(username: username)
        }
    }

    @Test(arguments: ["a", "Z", "0", "rocket.cat", "a-b_c.D9", "-_."])
    func aUsernameOfLettersDigitsDashUnderscoreAndDotIsValid(username: String) throws {
        #expect(NewUserRules.isValidUsername(username))
        try Self.validate(username: username)
    }

    /// Rocket.Chat escapes the username for HTML in this reason (`lodash.escape`), though not in `input`.
    @Test func anInvalidUsernameIsHTMLEscapedInTheReason() {
        #expect(
            throws: MeteorError(
                "error-input-is-not-a-valid-field",
                "&lt;b&gt; is not a valid username",
                details: [("method", Self.method), ("input", "<b>"), ("field", "Username")]
            )
        ) {
            try Self.validate(username: "<b>")
        }
    }

    /// Only an empty password is missing: it is not trimmed.
    @Test func onlyAnEmptyPasswordIsRequired() throws {
        #expect(throws: Self.required("Password")) { try Self.validate(password: "") }
        try Self.validate(password: " ")
    }

    @Test(arguments: [
        "plain", "a@b", "@example.com", "a@.example.com", "a@example.com.", "a b@example.com", "a@b@example.com", "a@b.c@example.com",
        " a@example.com", "a\u{FEFF}b@example.com",
    ])
    func anEmailOfAnotherShapeIsInvalid(email: String) {
        #expect(throws: MeteorError("error-invalid-email", "Invalid email \(email)", details: [("method", Self.method), ("email", email)])) {
            try Self.validate(email: email)
        }
    }

    /// JavaScript's `\s` has U+FEFF and not U+0085.
    @Test(arguments: ["a@b.co", "first.last+tag@sub.example.com", "o'brien@example.org", "a\u{85}b@example.com"])
    func anEmailWithOneAtAndADottedDomainIsValid(email: String) throws {
        #expect(NewUserRules.isValidEmail(email))
        try Self.validate(email: email)
    }

    @Test func takenUsernameAndEmailNameThemselves() {
        #expect(
            NewUserRules.usernameTaken("rocket.cat")
                == MeteorError(
                    "error-field-unavailable",
                    "rocket.cat is already in use :(",
                    details: [("method", Self.method), ("field", "rocket.cat")]
                )
        )
        #expect(
            NewUserRules.emailTaken("a@example.com")
                == MeteorError(
                    "error-field-unavailable",
                    "a@example.com is already in use :(",
                    details: [("method", Self.method), ("field", "a@example.com")]
                )
        )
    }

    /// An email may hold `'` or `&`, which Rocket.Chat escapes for HTML in this reason (`lodash.escape`).
    @Test func aTakenEmailIsHTMLEscapedInTheReason() {
        #expect(
            NewUserRules.emailTaken("o'brien@example.org")
                == MeteorError(
                    "error-field-unavailable",
                    "o&#39;brien@example.org is already in use :(",
                    details: [("method", Self.method), ("field", "o'brien@example.org")]
                )
        )
    }
}

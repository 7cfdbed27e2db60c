import IntegrationsCore
import Testing

@testable import IntegrationsAPI

/// The body of `POST login`.
@Suite struct LoginBodyTests {
    static let digest = PasswordHasher.digest(ofPassword: "pässwörd")

    func refusal(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try LoginBody(body) }
    }

    @Test(arguments: ["user", "username", "email"])
    func theUserIsNamedByAnyOfThreeKeys(key: String) throws {
        let login = try LoginBody(json(#"{"\#(key)":"alice","password":"pässwörd"}"#))
        #expect(login.login == "alice")
        #expect(login.passwordDigest == Self.digest)
    }

    @Test func userWinsOverUsernameWhichWinsOverEmail() throws {
        #expect(try LoginBody(json(#"{"email":"c","username":"b","user":"a","password":"p"}"#)).login == "a")
        #expect(try LoginBody(json(#"{"email":"c","username":"b","password":"p"}"#)).login == "b")
    }

    @Test func aPlainPasswordIsHashedAsRocketChatsClientHashesIt() throws {
        let login = try LoginBody(json(#"{"user":"a","password":"pässwörd"}"#))
        #expect(login.passwordDigest.count == 64)
        #expect(login.passwordDigest.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(login.passwordDigest == Self.digest)
    }

    @Test func aDigestIsTakenLowercased() throws {
        let login = try LoginBody(json(#"{"user":"a","password":{"digest":"\#(Self.digest.uppercased())","algorithm":"sha-256"}}"#))
        #expect(login.passwordDigest == Self.digest)
    }

    @Test(arguments: [#"{"password":"x"}"#, #"{"user":"","password":"x"}"#, #"{"user":5,"password":"x"}"#, #"{"username":null,"password":"x"}"#])
    func withoutAUserTheBodyIsInvalid(body: String) async throws {
        let error = try #require(try refusal(body))
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"Missing the \"user\" (or \"username\" or \"email\") property","errorType":"error-invalid-body"}"#
        )
    }

    @Test(arguments: [#"{"user":"a"}"#, #"{"user":"a","password":5}"#, #"{"user":"a","password":null}"#, #"{"user":"a","password":{"hashed":true}}"#])
    func withoutAPasswordTheBodyIsInvalid(body: String) throws {
        #expect(try refusal(body) == .invalidBody(#"Missing the "password" property"#))
    }

    @Test func theUserIsCheckedBeforeThePassword() throws {
        #expect(try refusal("{}") == .invalidBody(#"Missing the "user" (or "username" or "email") property"#))
    }

    @Test(arguments: [
        #"{"digest":"short"}"#, #"{"digest":"short","algorithm":"sha-256"}"#,
        #"{"digest":"\#(String(repeating: "a", count: 64))","algorithm":"md5"}"#,
        #"{"digest":"\#(String(repeating: "a", count: 63))","algorithm":"sha-256"}"#, #"{"digest":1,"algorithm":"sha-256"}"#,
    ])
    func aMalformedDigestIsInvalid(password: String) throws {
        #expect(
            try refusal(#"{"user":"a","password":\#(password)}"#)
                == .invalidBody(#"The password digest must be {"digest": <sha-256 hex>, "algorithm": "sha-256"}"#)
        )
    }
}

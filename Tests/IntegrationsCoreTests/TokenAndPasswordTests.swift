import IntegrationsCore
import Testing

@Suite struct TokenAndPasswordTests {
    @Test func idsUseTheUnmistakableAlphabet() {
        let id = RandomToken.id()
        #expect(id.utf8.count == 17)
        #expect(id.utf8.allSatisfy { RandomToken.idAlphabet.contains($0) })
        #expect(RandomToken.id(count: 48).utf8.count == 48)
        #expect(RandomToken.id() != RandomToken.id())
    }

    @Test func loginTokensAre43Base64URLCharacters() {
        let token = LoginToken.generate()
        #expect(token.utf8.count == 43)
        #expect(token.utf8.allSatisfy { RandomToken.secretAlphabet.contains($0) })
    }

    /// Meteor's `Accounts._hashLoginToken("abc")`: base64 of SHA-256, with padding.
    @Test func tokenHashMatchesMeteor() {
        #expect(LoginToken.hash("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        #expect(LoginToken.hash("") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test func passwordDigestIsLowercaseSHA256Hex() {
        #expect(PasswordHasher.digest(ofPassword: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func passwordsVerifyOnlyThemselves() throws {
        let hasher = PasswordHasher(cost: 4)
        let hash = try hasher.hash(password: "correct horse")
        #expect(hash.hasPrefix("$2b$04$"))
        #expect(hasher.verify(password: "correct horse", against: hash))
        #expect(!hasher.verify(password: "correct horse!", against: hash))
        #expect(!hasher.verify(password: "correct horse", against: "not a hash"))
        #expect(!hasher.verify(password: "correct horse", against: ""))
    }

    /// OpenBSD's bcrypt test vector (`$2a$`, as Rocket.Chat's bcrypt writes): hashes made elsewhere verify.
    @Test func foreignBcryptHashesVerify() {
        let hasher = PasswordHasher()
        #expect(hasher.verify(digest: "U*U", against: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
        #expect(!hasher.verify(digest: "U*V", against: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
    }
}

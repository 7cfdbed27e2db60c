import Crypto

/// Login and personal access tokens: handed to the client once, stored only hashed.
public enum LoginToken {
    /// A new token: 43 base64url characters from the system's CSPRNG (Meteor's `Random.secret()`).
    public static func generate() -> String {
        RandomToken.secret()
    }

    /// Meteor's `Accounts._hashLoginToken`: base64 (with padding) of the SHA-256 of the token's UTF-8 bytes.
    /// This is what the database stores and looks up.
    public static func hash(_ token: String) -> String {
        Base64.encode(Array(SHA256.hash(data: Array(token.utf8))))
    }
}

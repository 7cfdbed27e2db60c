import CXCrypt
import Crypto

/// Rocket.Chat's password scheme: bcrypt (cost 10, `$2b$`) of the lowercase hex SHA-256 of the password,
/// so that users imported from Rocket.Chat keep their passwords.
///
/// bcrypt comes from the system's libxcrypt (`crypt_r`, `crypt_gensalt_rn`). Hashing takes tens of
/// milliseconds by design: call it off the event loops.
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor; Rocket.Chat (Meteor `accounts-password`) uses 10.
    public var cost: Int

    public init(cost: Int = 10) {
        self.cost = cost
    }

    /// The SHA-256 hex digest a Rocket.Chat client sends as `{digest, algorithm: "sha-256"}`.
    public static func digest(ofPassword password: String) -> String {
        Hex.encode(SHA256.hash(data: Array(password.utf8)))
    }

    /// Hashes a password given in clear text.
    public func hash(password: String) throws(PasswordHashError) -> String {
        try hash(digest: Self.digest(ofPassword: password))
    }

    /// Hashes a SHA-256 hex digest of a password.
    public func hash(digest: String) throws(PasswordHashError) -> String {
        var salt = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &salt, Int32(salt.count)) != nil else {
            throw PasswordHashError(message: "bcrypt salt generation failed")
        }
        return try crypt(digest, setting: salt)
    }

    /// Whether `password` (clear text) matches a stored bcrypt hash.
    public func verify(password: String, against storedHash: String) -> Bool {
        verify(digest: Self.digest(ofPassword: password), against: storedHash)
    }

    /// Whether a SHA-256 hex digest of a password (lowercase, as Rocket.Chat computes it) matches a stored
    /// bcrypt hash, compared in constant time.
    public func verify(digest: String, against storedHash: String) -> Bool {
        guard storedHash.hasPrefix("$2"), let computed = try? crypt(digest, setting: storedHash.utf8CString.map { $0 }) else {
            return false
        }
        return ConstantTime.equal(computed.utf8, storedHash.utf8)
    }

    private func crypt(_ phrase: String, setting: [CChar]) throws(PasswordHashError) -> String {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        data.initialize(to: crypt_data())
        guard let output = crypt_r(phrase, setting, data) else {
            throw PasswordHashError(message: "bcrypt failed")
        }
        let hash = String(cString: output)
        // libxcrypt signals failure with a string starting with "*".
        guard !hash.hasPrefix("*") else { throw PasswordHashError(message: "bcrypt rejected the setting") }
        return hash
    }
}

/// bcrypt could not produce a hash.
public struct PasswordHashError: Error, Sendable {
    public let message: String
}

import IntegrationsCore

/// The body of `POST login`: the user (`user`, `username` or `email`) and the password, plain or as its
/// SHA-256 digest.
struct LoginBody {
    let login: String
    /// The lowercase SHA-256 hex digest of the password, as Rocket.Chat hashes it.
    let passwordDigest: String

    init(_ body: JSONValue) throws(RocketChatError) {
        let body = try RequestBody.object(body)
        guard let login = (body["user"] ?? body["username"] ?? body["email"])?.stringValue, !login.isEmpty else {
            throw .invalidBody("Missing the \"user\" (or \"username\" or \"email\") property")
        }
        switch body["password"] {
        case .string(let password)?:
            passwordDigest = PasswordHasher.digest(ofPassword: password)
        case let hashed? where hashed.keys.contains("digest"):
            guard let digest = hashed["digest"]?.stringValue, hashed["algorithm"]?.stringValue == "sha-256",
                digest.utf8.count == 64
            else { throw .invalidBody("The password digest must be {\"digest\": <sha-256 hex>, \"algorithm\": \"sha-256\"}") }
            passwordDigest = digest.lowercased()
        default:
            throw .invalidBody("Missing the \"password\" property")
        }
        self.login = login
    }
}

import HTTPTypes
import Hummingbird
import IntegrationsCore

/// The `X-User-Id` / `X-Auth-Token` pair of a request, with the token already hashed as the database stores it.
struct CallerCredentials: Sendable {
    /// The longest header value considered; longer ones cannot be a user id or a token.
    static let maximumLength = 256

    let userId: String
    let hashedToken: String

    /// Reads the headers; `nil` when either is missing, empty or implausibly long.
    init?(_ request: Request) {
        guard let userId = request.headers[.xUserId], let token = request.headers[.xAuthToken],
            !userId.isEmpty, !token.isEmpty,
            userId.utf8.count <= Self.maximumLength, token.utf8.count <= Self.maximumLength
        else { return nil }
        self.userId = userId
        self.hashedToken = LoginToken.hash(token)
    }
}

extension HTTPField.Name {
    static let xUserId = Self("X-User-Id")!
    static let xAuthToken = Self("X-Auth-Token")!
    static let pragma = Self("Pragma")!
}

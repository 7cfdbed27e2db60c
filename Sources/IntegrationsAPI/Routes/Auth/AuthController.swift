import HTTPTypes
import Hummingbird
import IntegrationsCore
import IntegrationsStore
import NIOCore
import NIOPosix

/// `/api/v1/login`, `/api/v1/logout` and `/api/v1/me`, as Rocket.Chat answers them.
struct AuthController: Sendable {
    let users: UserRepository
    let passwordHasher: PasswordHasher
    let blocking: LoginBlocking
    let rateLimit: RateLimit?
    let loginFailures: LoginFailureRepository
    let rateLimitWindows: RateLimitWindowRepository
    /// A bcrypt hash (cost 10, like real ones) of nothing in particular, checked when the user does not exist
    /// so that a wrong username costs as much time as a wrong password.
    static let decoyHash = "$2b$10$abcdefghijklmnopqrstuuMzALlmpzDaP2z2Ik8aTtg9ovV7TtjYu"

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/login", use: login)
        router.post("/api/v1/logout", use: logout)
        router.get("/api/v1/logout", use: logout)
        router.get("/api/v1/me", use: me)
    }

    /// `POST login` with `{"user"|"username"|"email": …, "password": "…" | {"digest": "…", "algorithm": "sha-256"}}`.
    ///
    /// In Rocket.Chat's order: the rate limiter (429), the blocks by address then by user (401, checked before
    /// the password so that a blocked attacker costs no bcrypt), the password; a failure counts against the
    /// address and the user, a success forgets both counts.
    @Sendable func login(_ request: Request, context: APIRequestContext) async throws -> Response {
        let client = context.clientAddress(of: request)
        var rateLimitHeaders = HTTPFields()
        if let limit = rateLimit {
            let window = try await rateLimitWindows.countRequest(
                key: "\(client ?? "-") POST /api/v1/login",
                windowMilliseconds: limit.windowMilliseconds
            )
            rateLimitHeaders = RateLimitHeaders.fields(limit: limit, window: window)
            if window.requests > limit.calls {
                return RateLimitHeaders.tooManyRequests(window: window, headers: rateLimitHeaders)
            }
        }
        var response = try await authenticate(request, context: context, client: client)
        response.headers.append(contentsOf: rateLimitHeaders)
        return response
    }

    private func authenticate(_ request: Request, context: APIRequestContext, client: String?) async throws -> Response {
        let body = try LoginBody(try await RequestBody.json(request, context: context))
        let credentials = try await users.credentials(forLogin: body.login)
        let counted = client.flatMap { blocking.addressAllowList.contains($0) ? nil : $0 }
        if let blocked = try await loginFailures.blocked(
            address: counted,
            byAddress: blocking.byAddress,
            userId: credentials?.userId,
            byUser: blocking.byUser
        ) {
            throw RocketChatError.loginBlocked(blocked)
        }
        let storedHash = credentials?.passwordHash ?? Self.decoyHash
        let hasher = passwordHasher
        let digest = body.passwordDigest
        let matches = try await NIOThreadPool.singleton.runIfActive {
            hasher.verify(digest: digest, against: storedHash)
        }
        guard matches, let credentials, credentials.passwordHash != nil else {
            try await loginFailures.recordFailure(
                address: blocking.byAddress == nil ? nil : counted,
                userId: blocking.byUser == nil ? nil : credentials?.userId
            )
            throw RocketChatError(
                status: .unauthorized,
                error: "Unauthorized",
                extraFields: [("status", "\"error\""), ("message", "\"Unauthorized\"")]
            )
        }
        if blocking.isOn {
            try await loginFailures.forgetFailures(address: counted, userId: credentials.userId)
        }
        let token = LoginToken.generate()
        guard let me = try await users.addLoginToken(userId: credentials.userId, hashedToken: LoginToken.hash(token)) else {
            throw RocketChatError.internalError
        }
        return .json(
            JSONWriter.statusSuccess { data in
                data.field("userId", string: credentials.userId)
                data.field("authToken", string: token)
                data.field("me", raw: me)
            }
        )
    }

    /// `POST logout`: forgets the token the request was authenticated with.
    @Sendable func logout(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        guard try await users.removeLoginToken(userId: caller.userId, hashedToken: caller.hashedToken) else {
            throw RocketChatError.notLoggedIn
        }
        return .json(JSONWriter.statusSuccess { $0.field("message", string: "You've been logged out!") })
    }

    /// `GET me`: the caller's user document plus `"success": true`.
    @Sendable func me(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCredentials()
        guard let me = try await users.authenticate(userId: caller.userId, hashedToken: caller.hashedToken),
            me.utf8.last == UInt8(ascii: "}")
        else { throw RocketChatError.notLoggedIn }
        var buffer = ByteBufferAllocator().buffer(capacity: me.utf8.count + 16)
        buffer.writeString(String(me.dropLast()))
        buffer.writeStaticString(",\"success\":true}")
        return .json(buffer)
    }
}

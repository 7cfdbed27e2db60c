import Foundation
import HTTPTypes
import IntegrationsAPI
import IntegrationsServer
import IntegrationsStore
import NIOCore
import Testing

/// Rocket.Chat's login protections, ported from its `failed-login-attempts` end-to-end test (block by user
/// after 2 failures for 3 s, by address after 4 failures for 6 s, Rocket.Chat's test using 3 s and 8 s: the
/// blocks must outlast a few bcrypt logins on a busy machine) and its REST rate limiter. Each test is a
/// client of its own address (`X-Forwarded-For` from the trusted loopback), so the shared counters stay apart.
@Suite struct LoginProtectionTests {
    static let blocking: LoginBlocking = {
        var blocking = LoginBlocking()
        blocking.byUser = .init(failures: 2, seconds: 3)
        blocking.byAddress = .init(failures: 4, seconds: 6)
        return blocking
    }()

    /// The test's protections: ``blocking``, and the rate limiter only when given.
    static func protect(_ configuration: inout ServiceConfiguration, blocking: LoginBlocking = Self.blocking, rateLimit: RateLimit? = nil) {
        configuration.loginBlocking = blocking
        configuration.rateLimit = rateLimit
    }

    /// A fresh documentation-range address for one test.
    static func address() -> String { "198.51.100.\(Int.random(in: 1...254))" }

    func login(_ server: TestServer, _ user: TestUser, password: String, from address: String) async throws -> TestResponse {
        try await server.client.execute(
            uri: "/api/v1/login",
            method: .post,
            headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: address],
            body: .init(string: #"{"user":"\#(user.username)","password":"\#(password)"}"#)
        )
    }

    @Test func aUserIsBlockedAfterItsFailuresAndUnblockedAfterTheBlockTime() async throws {
        try await TestServer.run(configure: { Self.protect(&$0) }) { server in
            let user = try await server.createUser(roles: ["user"])
            let address = Self.address()
            for _ in 0..<2 {
                let failed = try await login(server, user, password: "wrong", from: address)
                #expect(failed.status == .unauthorized)
                #expect(failed.text.contains(#""error":"Unauthorized""#))
            }
            // Blocked, even with the right password.
            let blocked = try await login(server, user, password: user.password, from: address)
            #expect(blocked.status == .unauthorized)
            #expect(
                blocked.text
                    == #"{"success":false,"error":"error-login-blocked-for-user","status":"error","message":"Login has been temporarily blocked For User","details":{"function":"Accounts.validateLoginAttempt"}}"#
            )
            try await Task.sleep(for: .milliseconds(3200))
            #expect(try await login(server, user, password: user.password, from: address).status == .ok)
        }
    }

    @Test func aSuccessfulLoginResetsTheCounts() async throws {
        try await TestServer.run(configure: { Self.protect(&$0) }) { server in
            let user = try await server.createUser(roles: ["user"])
            let address = Self.address()
            #expect(try await login(server, user, password: "wrong", from: address).status == .unauthorized)
            #expect(try await login(server, user, password: user.password, from: address).status == .ok)
            // Counting starts again: one more failure does not block.
            #expect(try await login(server, user, password: "wrong", from: address).text.contains(#""error":"Unauthorized""#))
            #expect(try await login(server, user, password: user.password, from: address).status == .ok)
        }
    }

    @Test func anAddressIsBlockedAfterFailuresAcrossUsersButOthersAreNot() async throws {
        try await TestServer.run(configure: { Self.protect(&$0) }) { server in
            let (first, second, third) = (
                try await server.createUser(roles: ["user"]), try await server.createUser(roles: ["user"]),
                try await server.createUser(roles: ["user"])
            )
            let address = Self.address()
            for user in [first, first, second, second] {
                _ = try await login(server, user, password: "wrong", from: address)
            }
            let blocked = try await login(server, third, password: third.password, from: address)
            #expect(blocked.text.contains(#""error":"error-login-blocked-for-ip""#))
            #expect(blocked.text.contains("Login has been temporarily blocked For IP"))
            // Another address is not blocked for that.
            #expect(try await login(server, third, password: third.password, from: Self.address() + "0").status == .ok)
            try await Task.sleep(for: .milliseconds(6200))
            #expect(try await login(server, third, password: third.password, from: address).status == .ok)
        }
    }

    @Test func anAllowListedAddressIsNeverBlocked() async throws {
        let address = Self.address()
        var blocking = Self.blocking
        blocking.addressAllowList = [address]
        try await TestServer.run(configure: { Self.protect(&$0, blocking: blocking) }) { server in
            let users = [try await server.createUser(roles: ["user"]), try await server.createUser(roles: ["user"])]
            for user in users + users + users { _ = try await login(server, user, password: "wrong", from: address) }
            let other = try await server.createUser(roles: ["user"])
            #expect(try await login(server, other, password: other.password, from: address).status == .ok)
        }
    }

    @Test func theRateLimiterAnswers429WithRocketChatsBodyAndHeaders() async throws {
        let limit = RateLimit(calls: 3, windowMilliseconds: 60_000)
        try await TestServer.run(configure: { Self.protect(&$0, rateLimit: limit) }) { server in
            let user = try await server.createUser(roles: ["user"])
            let address = Self.address()
            for expected in ["2", "1", "0"] {
                let allowed = try await login(server, user, password: user.password, from: address)
                #expect(allowed.status == .ok)
                #expect(allowed.headers[HTTPField.Name("X-RateLimit-Limit")!] == "3")
                #expect(allowed.headers[HTTPField.Name("X-RateLimit-Remaining")!] == expected)
            }
            let limited = try await login(server, user, password: user.password, from: address)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.hasPrefix(#"{"success":false,"error":"Error, too many requests. Please slow down. You must wait "#))
            #expect(limited.text.hasSuffix(#" seconds before trying this endpoint again."}"#))
            let reset = try #require(limited.headers[HTTPField.Name("X-RateLimit-Reset")!].flatMap { Int64($0) })
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(reset > now && reset <= now + 61_000, "X-RateLimit-Reset is epoch milliseconds")
            #expect(limited.headers[.retryAfter] != nil)
            // The limit is per address.
            #expect(try await login(server, user, password: user.password, from: Self.address() + "1").status == .ok)
        }
    }

    @Test func authenticatedRoutesAreLimitedPerRouteExceptForAdmins() async throws {
        let limit = RateLimit(calls: 3, windowMilliseconds: 60_000)
        try await TestServer.run(configure: { Self.protect(&$0, rateLimit: limit) }) { server in
            let user = try await server.createUser(roles: ["user"])
            let admin = try await server.createUser(roles: ["admin"])
            let address = HTTPFields([HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: Self.address())])
            for expected in ["2", "1", "0"] {
                let allowed = try await server.get("/api/v1/me", as: user, headers: address)
                #expect(allowed.status == .ok)
                #expect(allowed.headers[HTTPField.Name("X-RateLimit-Remaining")!] == expected)
            }
            let limited = try await server.get("/api/v1/me", as: user, headers: address)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("Error, too many requests. Please slow down."))
            // Each route has its window.
            #expect(try await server.get("/api/v1/integrations.list", as: user, headers: address).status != .tooManyRequests)
            // Admins hold api-bypass-rate-limit: never limited, no headers.
            for _ in 0..<6 {
                let answer = try await server.get("/api/v1/me", as: admin, headers: address)
                #expect(answer.status == .ok)
                #expect(answer.headers[HTTPField.Name("X-RateLimit-Limit")!] == nil)
            }
            // Wrong credentials are answered 401, not counted.
            #expect(try await server.get("/api/v1/me", as: user.withWrongToken, headers: address).status == .unauthorized)
        }
    }
}

import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import Testing

/// `POST login`, `POST logout`, `GET me`, as Rocket.Chat answers them.
@Suite struct AuthTests {
    static let unauthorized = #"{"status":"error","error":"Unauthorized","message":"Unauthorized","success":false}"#

    @Test(arguments: ["user", "username", "email"])
    func loginReturnsRocketChatEnvelopeAndAWorkingToken(key: String) async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["admin"], password: "pässwörd \"quoted\"")
            let login = key == "email" ? "\(user.username)@example.com" : user.username
            let response = try await server.post(
                "/api/v1/login",
                json: #"{"\#(key)":"\#(login)","password":"pässwörd \"quoted\""}"#
            )
            #expect(response.status == .ok)
            #expect(try await server.extract("->> 'status'", from: response.text) == "success")
            #expect(try await server.extract("->> 'success'", from: response.text) == "true")
            #expect(try await server.extract("-> 'data' ->> 'userId'", from: response.text) == user.id)
            #expect(try await server.extract("-> 'data' -> 'me' ->> 'username'", from: response.text) == user.username)
            let token = try #require(try await server.extract("-> 'data' ->> 'authToken'", from: response.text))
            #expect(token.count == 43)
            #expect(token.utf8.allSatisfy { RandomToken.secretAlphabet.contains($0) })

            let me = try await server.get("/api/v1/me", as: TestUser(id: user.id, username: user.username, token: token, password: ""))
            #expect(me.status == .ok)
            #expect(try await server.extract("->> '_id'", from: me.text) == user.id)
            #expect(try await server.extract("->> 'success'", from: me.text) == "true")
        }
    }

    @Test func loginAcceptsAPasswordDigest() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"], password: "digest-me")
            let digest = PasswordHasher.digest(ofPassword: "digest-me").uppercased()
            let response = try await server.post(
                "/api/v1/login",
                json: #"{"user":"\#(user.username)","password":{"digest":"\#(digest)","algorithm":"sha-256"}}"#
            )
            #expect(response.status == .ok)
        }
    }

    @Test func wrongPasswordOrUnknownUserIs401Unauthorized() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            for body in [#"{"user":"\#(user.username)","password":"wrong"}"#, #"{"user":"nobody-\#(user.id)","password":"x"}"#] {
                let response = try await server.post("/api/v1/login", json: body)
                #expect(response.status == .unauthorized)
                #expect(try await server.sameJSON(response.text, Self.unauthorized))
            }
        }
    }

    @Test(arguments: ["", "not json", "[]", #"{"password":"x"}"#, #"{"user":"a"}"#, #"{"user":"a","password":{"digest":"short"}}"#])
    func malformedLoginBodyIs400(body: String) async throws {
        try await TestServer.run { server in
            let response = try await server.post("/api/v1/login", json: body)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'success'", from: response.text) == "false")
        }
    }

    @Test func oversizedBodyIs413InRocketChatShape() async throws {
        try await TestServer.run { server in
            let password = String(repeating: "x", count: 2 << 20)
            let response = try await server.post("/api/v1/login", json: #"{"user":"a","password":"\#(password)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(try await server.extract("->> 'success'", from: response.text) == "false")
        }
    }

    @Test func logoutInvalidatesTheToken() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: user)
            #expect(try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: user).status == .ok)

            let logout = try await server.post("/api/v1/logout", json: "", as: user)
            #expect(logout.status == .ok)
            #expect(try await server.sameJSON(logout.text, #"{"status":"success","data":{"message":"You've been logged out!"},"success":true}"#))

            #expect(try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: user).status == .unauthorized)
            #expect(try await server.get("/api/v1/me", as: user).status == .unauthorized)
            #expect(try await server.post("/api/v1/logout", json: "", as: user).status == .unauthorized)
        }
    }

    @Test func meWithoutCredentialsIs401() async throws {
        try await TestServer.run { server in
            let response = try await server.get("/api/v1/me")
            #expect(response.status == .unauthorized)
            #expect(try await server.sameJSON(response.text, IntegrationsGetTests.notLoggedIn))
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import IntegrationsStore
import NIOCore
import Testing

/// `users.create`, `users.info`, `users.delete`, `users.register` and personal access tokens.
@Suite struct UsersTests {
    @Test func adminCreatesAUserWhoCanLogInAndIsAMemberOfGeneral() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let username = "new-\(RandomToken.id().lowercased())"
            let body = #"{"email":"\#(username)@example.com","name":"New User","password":"pa55word","username":"\#(username)"}"#
            let created = try await server.post("/api/v1/users.create", json: body, as: admin)
            #expect(created.status == .ok)
            #expect(try await server.extract("-> 'user' ->> 'username'", from: created.text) == username)
            #expect(try await server.extract("-> 'user' ->> 'roles'", from: created.text) == #"["user"]"#)
            let id = try #require(try await server.extract("-> 'user' ->> '_id'", from: created.text))

            let login = try await server.post("/api/v1/login", json: #"{"user":"\#(username)","password":"pa55word"}"#)
            #expect(login.status == .ok)
            let general = try await server.get("/api/v1/channels.info?roomId=GENERAL", as: admin)
            #expect(general.status == .ok)

            let taken = try await server.post("/api/v1/users.create", json: body.replacingOccurrences(of: "@example", with: "2@example"), as: admin)
            #expect(try await server.extract("->> 'error'", from: taken.text) == "\(username) is already in use :( [error-field-unavailable]")
            let invalid = try await server.post(
                "/api/v1/users.create",
                json: body.replacingOccurrences(of: #""username":""#, with: #""username":"bad name "#),
                as: admin
            )
            #expect(try await server.extract("->> 'errorType'", from: invalid.text) == "error-input-is-not-a-valid-field")

            let info = try await server.get("/api/v1/users.info?userId=\(id)", as: admin)
            #expect(try await server.extract("-> 'user' ->> 'username'", from: info.text) == username)
            #expect(try await server.extract("-> 'user' -> 'emails' -> 0 ->> 'address'", from: info.text) == "\(username)@example.com")

            let deleted = try await server.post("/api/v1/users.delete", json: #"{"userId":"\#(id)"}"#, as: admin)
            #expect(try await server.sameJSON(deleted.text, #"{"success":true}"#))
            let gone = try await server.get("/api/v1/users.info?userId=\(id)", as: admin)
            #expect(try await server.sameJSON(gone.text, #"{"success":false,"error":"User not found."}"#))
        }
    }

    @Test func ordinaryUsersMayNotCreateOrDeleteUsers() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let other = try await server.createUser(roles: ["user"])
            let create = try await server.post(
                "/api/v1/users.create",
                json: #"{"email":"x@example.com","name":"x","password":"x","username":"x\#(RandomToken.id())"}"#,
                as: user
            )
            #expect(create.status == .forbidden)
            let delete = try await server.post("/api/v1/users.delete", json: #"{"userId":"\#(other.id)"}"#, as: user)
            #expect(delete.status == .forbidden)
            let info = try await server.get("/api/v1/users.info?username=\(other.username)", as: user)
            #expect(info.status == .ok)
            #expect(try await server.extract("-> 'user' -> 'emails'", from: info.text) == nil)
        }
    }

    @Test func personalAccessTokensAuthenticateUntilRemoved() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let generated = try await server.post("/api/v1/users.generatePersonalAccessToken", json: #"{"tokenName":"ci"}"#, as: user)
            #expect(generated.status == .ok)
            let token = try #require(try await server.extract("->> 'token'", from: generated.text))
            let viaToken = TestUser(id: user.id, username: user.username, token: token, password: "")
            #expect(try await server.get("/api/v1/me", as: viaToken).status == .ok)
            let again = try await server.post("/api/v1/users.generatePersonalAccessToken", json: #"{"tokenName":"ci"}"#, as: user)
            #expect(try await server.extract("->> 'errorType'", from: again.text) == "error-token-already-exists")
            // Logging out with the login token leaves the personal access token alone.
            #expect(try await server.post("/api/v1/logout", json: "", as: user).status == .ok)
            #expect(try await server.get("/api/v1/me", as: viaToken).status == .ok)
            let removed = try await server.post("/api/v1/users.removePersonalAccessToken", json: #"{"tokenName":"ci"}"#, as: viaToken)
            #expect(try await server.sameJSON(removed.text, #"{"success":true}"#))
            #expect(try await server.get("/api/v1/me", as: viaToken).status == .unauthorized)
        }
    }

    /// Registration is off by default; the setting opens it. Settings are global, so this uses its own database.
    @Test func registrationFollowsTheSetting() async throws {
        let database = try await TestDatabase.privateDatabase()
        try await TestServer.run(conninfo: database.conninfo) { server in
            let username = "reg-\(RandomToken.id().lowercased())"
            let body = #"{"username":"\#(username)","email":"\#(username)@example.com","pass":"pa55word","name":"Reg"}"#
            let closed = try await server.post("/api/v1/users.register", json: body)
            #expect(
                try await server.sameJSON(
                    closed.text,
                    #"{"success":false,"error":"User registration is disabled [error-user-registration-disabled]","errorType":"error-user-registration-disabled"}"#
                )
            )
            try await UserRepository(pool: server.pool).overwriteSetting(id: "Accounts_RegistrationForm", valueJSON: #""Public""#)
            let open = try await server.post("/api/v1/users.register", json: body)
            #expect(open.status == .ok)
            #expect(try await server.extract("-> 'user' ->> 'username'", from: open.text) == username)
            #expect(try await server.post("/api/v1/login", json: #"{"user":"\#(username)","password":"pa55word"}"#).status == .ok)
        }
    }

    /// Concurrent `users.create` of one username (and of one email) all pass the checks before any of them has
    /// inserted: the unique index refuses the latecomers, which are answered as the checks would have answered
    /// them, never with a 500.
    @Test(arguments: ["username", "email"])
    func concurrentCreationsOfOneNameGetRocketChatsAnswer(_ shared: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let name = "race-\(RandomToken.id().lowercased())"
            let attempts = 8
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for attempt in 0..<attempts {
                    let username = shared == "username" ? name : "\(name)-\(attempt)"
                    let email = shared == "email" ? "\(name)@example.com" : "\(name)-\(attempt)@example.com"
                    let body = #"{"email":"\#(email)","name":"Racer","password":"pa55word","username":"\#(username)"}"#
                    group.addTask {
                        let client = TestClient(host: "127.0.0.1", port: server.client.port, configuration: .init(timeout: .seconds(20)))
                        client.connect()
                        do {
                            let response = try await LiveClient(client: client, port: server.client.port)
                                .execute(uri: "/api/v1/users.create", method: .post, headers: Self.headers(admin), body: ByteBuffer(string: body))
                            try await client.shutdown()
                            return (response.status, response.text)
                        } catch {
                            try? await client.shutdown()
                            throw error
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == .ok }.count == 1, "\(answers)")
            let taken =
                shared == "username"
                ? "\(name) is already in use :( [error-field-unavailable]"
                : "\(name)@example.com is already in use :( [error-field-unavailable]"
            for (status, text) in answers where status != .ok {
                #expect(status == .badRequest, "\(text)")
                #expect(try await server.extract("->> 'error'", from: text) == taken, "\(text)")
            }
        }
    }

    static func headers(_ user: TestUser) -> HTTPFields {
        [.contentType: "application/json", HTTPField.Name("X-User-Id")!: user.id, HTTPField.Name("X-Auth-Token")!: user.token]
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import NIOCore
import Testing

/// `PUT integrations.update` (spec 3.5; rows 25–27 of Rocket.Chat's incoming end-to-end suite).
@Suite struct IntegrationsUpdateTests {
    /// Creates an integration over HTTP and returns its stored document's id.
    static func create(_ body: String, on server: TestServer, as user: TestUser) async throws -> String {
        let response = try await server.post("/api/v1/integrations.create", json: body, as: user)
        return try #require(try await server.extract("-> 'integration' ->> '_id'", from: response.text), "\(response.text)")
    }

    static func put(_ body: String, on server: TestServer, as user: TestUser) async throws -> TestResponse {
        try await server.client.execute(
            uri: "/api/v1/integrations.update",
            method: .put,
            headers: [
                .contentType: "application/json", HTTPField.Name("X-User-Id")!: user.id, HTTPField.Name("X-Auth-Token")!: user.token,
            ],
            body: ByteBuffer(string: body)
        )
    }

    @Test func incomingUpdateChangesNameAliasOverrideAndPoster() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let poster = try await server.createUser(roles: ["user"])
            let id = try await Self.create(IntegrationsCreateTests.incoming, on: server, as: admin)
            let token = try await server.extract(
                "-> 'integration' ->> 'token'",
                from: try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin).text
            )
            let body =
                #"{"type":"webhook-incoming","integrationId":"\#(id)","name":"Incoming test updated","alias":"test updated","enabled":true,"scriptEnabled":true,"overrideDestinationChannelEnabled":true,"channel":"\#u{23}general"}"#
            let response = try await Self.put(body, on: server, as: admin)
            #expect(response.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: response.text) == id)
            #expect(try await server.extract("-> 'integration' ->> 'name'", from: response.text) == "Incoming test updated")
            #expect(try await server.extract("-> 'integration' ->> 'alias'", from: response.text) == "test updated")
            #expect(try await server.extract("-> 'integration' ->> 'overrideDestinationChannelEnabled'", from: response.text) == "true")
            #expect(try await server.extract("-> 'integration' -> '_updatedBy' ->> '_id'", from: response.text) == admin.id)
            #expect(try await server.extract("-> 'integration' ->> 'token'", from: response.text) == token)
            let fetched = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin)
            #expect(try await server.extract("-> 'integration' ->> 'name'", from: fetched.text) == "Incoming test updated")

            let repost =
                #"{"type":"webhook-incoming","integrationId":"\#(id)","name":"x","enabled":true,"scriptEnabled":false,"channel":"\#u{23}general","username":"\#(poster.username)"}"#
            let changed = try await Self.put(repost, on: server, as: admin)
            #expect(try await server.extract("-> 'integration' ->> 'username'", from: changed.text) == poster.username)
            #expect(try await server.extract("-> 'integration' ->> 'userId'", from: changed.text) == poster.id)
            #expect(try await server.roles(of: poster.id).contains("bot"))
        }
    }

    @Test func outgoingUpdateFindsByTargetURLAndNeedsAToken() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let url = "http://example.com/\(RandomToken.id())"
            let body = IntegrationsCreateTests.guggy.replacingOccurrences(of: "http://text2gif.guggy.com/guggify", with: url)
            let id = try await Self.create(body, on: server, as: admin)
            let noToken = body.replacingOccurrences(of: #""type":"webhook-outgoing""#, with: #""type":"webhook-outgoing","target_url":"\#(url)""#)
            let refused = try await Self.put(noToken, on: server, as: admin)
            #expect(
                try await server.sameJSON(
                    refused.text,
                    #"{"success":false,"error":"Invalid token [error-invalid-token]","errorType":"error-invalid-token","details":{"method":"updateOutgoingIntegration"}}"#
                )
            )
            let withToken =
                noToken
                .replacingOccurrences(of: #""name":"Guggy""#, with: #""name":"Guggy 2","token":"secret-token""#)
                .replacingOccurrences(of: #""triggerWords":["!guggy"]"#, with: #""triggerWords":["!g2"]"#)
            let response = try await Self.put(withToken, on: server, as: admin)
            #expect(response.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: response.text) == id)
            #expect(try await server.extract("-> 'integration' ->> 'name'", from: response.text) == "Guggy 2")
            #expect(try await server.extract("-> 'integration' ->> 'token'", from: response.text) == "secret-token")
            #expect(try await server.extract("-> 'integration' ->> 'triggerWords'", from: response.text) == #"["!g2"]"#)
        }
    }

    @Test func ownPermissionUpdatesOnlyOwnIntegrations() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let role = try await server.createRole(permissions: [Permission.manageOwnIncoming])
            let caller = try await server.createUser(roles: [role])
            let foreign = try await Self.create(IntegrationsCreateTests.incoming, on: server, as: admin)
            let own = try await Self.create(IntegrationsCreateTests.incoming, on: server, as: caller)
            func body(_ id: String) -> String {
                #"{"type":"webhook-incoming","integrationId":"\#(id)","name":"mine","enabled":true,"scriptEnabled":false,"channel":"\#u{23}general"}"#
            }
            let denied = try await Self.put(body(foreign), on: server, as: caller)
            #expect(
                try await server.sameJSON(
                    denied.text,
                    #"{"success":false,"error":"Invalid integration [error-invalid-integration]","errorType":"error-invalid-integration","details":{"method":"updateIncomingIntegration"}}"#
                )
            )
            let allowed = try await Self.put(body(own), on: server, as: caller)
            #expect(allowed.status == .ok)
            let nobody = try await server.createUser(roles: ["user"])
            let unauthorized = try await Self.put(body(own), on: server, as: nobody)
            #expect(try await server.extract("->> 'error'", from: unauthorized.text) == "Unauthorized [not_authorized]")
        }
    }

    @Test func unknownTargetsAndBadBodies() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let missing = try await Self.put(
                #"{"type":"webhook-incoming","integrationId":"nope","name":"x","enabled":true,"scriptEnabled":false,"channel":"\#u{23}general"}"#,
                on: server,
                as: admin
            )
            #expect(try await server.sameJSON(missing.text, #"{"success":false,"error":"No integration found."}"#))
            let id = try await Self.create(IntegrationsCreateTests.incoming, on: server, as: admin)
            let badPoster = try await Self.put(
                #"{"type":"webhook-incoming","integrationId":"\#(id)","name":"x","enabled":true,"scriptEnabled":false,"channel":"\#u{23}general","username":"nobody-at-all"}"#,
                on: server,
                as: admin
            )
            #expect(try await server.extract("->> 'error'", from: badPoster.text) == "Invalid Post As User [error-invalid-post-as-user]")
            let schema = try await Self.put(#"{"type":"webhook-incoming","integrationId":"\#(id)"}"#, on: server, as: admin)
            #expect(try await server.extract("->> 'errorType'", from: schema.text) == "invalid-params")
        }
    }
}

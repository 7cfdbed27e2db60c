import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import Testing

/// `permissions.listAll` and `permissions.update`: moving the integration permissions between roles at run time.
/// These tests change the grants of the built-in roles, so they use a database of their own, one after another.
@Suite(.serialized) struct PermissionsTests {
    static let database = Task { try await TestDatabase.privateDatabase().conninfo }

    @Test func listAllShowsTheDefaultIntegrationGrants() async throws {
        try await TestServer.run(conninfo: try await Self.database.value) { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/permissions.listAll", as: admin)
            #expect(response.status == .ok)
            for permission in Permission.all {
                let roles = try await server.extract(
                    "-> 'update' @? '$[*] ? (@._id == \"\(permission)\" && @.roles[*] == \"admin\")'",
                    from: response.text
                )
                #expect(roles == "t", "\(permission)")
            }
            #expect(try await server.extract("-> 'remove'", from: response.text) == "[]")
            #expect(try await server.get("/api/v1/permissions.listAll").status == .unauthorized)
            let future = try await server.get("/api/v1/permissions.listAll?updatedSince=2999-01-01T00:00:00.000Z", as: admin)
            #expect(try await server.extract("-> 'update'", from: future.text) == "[]")
            let invalid = try await server.get("/api/v1/permissions.listAll?updatedSince=yesterday", as: admin)
            #expect(invalid.status == .badRequest)
            // Dates JavaScript reads that PostgreSQL's input of them would not: everything since, nothing since.
            for (date, count) in [("0000-06-15", "> 0"), ("-000001-01-01", "> 0"), ("%2B200000-01-01T00:00:00.000Z", "= 0")] {
                let listed = try await server.get("/api/v1/permissions.listAll?updatedSince=\(date)", as: admin)
                #expect(listed.status == .ok, "\(date): \(listed.text)")
                #expect(try await server.extract("-> 'update' ->> 0", from: listed.text).map { _ in "> 0" } ?? "= 0" == count, "\(date)")
            }
        }
    }

    /// A permission change applies to the very next request.
    @Test func movingAPermissionTakesEffectImmediately() async throws {
        try await TestServer.run(conninfo: try await Self.database.value) { server in
            let admin = try await server.createUser(roles: ["admin"])
            let user = try await server.createUser(roles: ["user"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: user)
            let uri = "/api/v1/integrations.get?integrationId=\(id)"
            #expect(try await server.get(uri, as: user).text.contains("not-authorized"))

            let grant = try await server.post(
                "/api/v1/permissions.update",
                json: #"{"permissions":[{"_id":"manage-own-outgoing-integrations","roles":["admin","user"]}]}"#,
                as: admin
            )
            #expect(grant.status == .ok)
            #expect(try await server.extract("->> 'success'", from: grant.text) == "true")
            #expect(try await server.get(uri, as: user).status == .ok)

            let revoke = try await server.post(
                "/api/v1/permissions.update",
                json: #"{"permissions":[{"_id":"manage-own-outgoing-integrations","roles":["admin"]}]}"#,
                as: admin
            )
            #expect(revoke.status == .ok)
            #expect(try await server.get(uri, as: user).text.contains("not-authorized"))
        }
    }

    @Test func updateValidatesEverythingBeforeChangingAnything() async throws {
        try await TestServer.run(conninfo: try await Self.database.value) { server in
            let admin = try await server.createUser(roles: ["admin"])
            let user = try await server.createUser(roles: ["user"])
            let cases: [(String, String)] = [
                (
                    #"{"permissions":[{"_id":"manage-outgoing-integrations","roles":["admin","user"]},{"_id":"no-such-permission","roles":["admin"]}]}"#,
                    #"{"success":false,"error":"Invalid permission","errorType":"error-invalid-permission"}"#
                ),
                (
                    #"{"permissions":[{"_id":"manage-outgoing-integrations","roles":["admin","no-such-role"]}]}"#,
                    #"{"success":false,"error":"Invalid role","errorType":"error-invalid-role"}"#
                ),
                (
                    #"{"permissions":[{"_id":"manage-outgoing-integrations"}]}"#,
                    #"{"success":false,"error":"Invalid body params","errorType":"error-invalid-body-params"}"#
                ),
                (#"{"permissions":"all"}"#, #"{"success":false,"error":"Invalid body params","errorType":"error-invalid-body-params"}"#),
            ]
            for (body, expected) in cases {
                let response = try await server.post("/api/v1/permissions.update", json: body, as: admin)
                #expect(response.status == .badRequest)
                #expect(try await server.sameJSON(response.text, expected), "\(body)")
            }
            let list = try await server.get("/api/v1/permissions.listAll", as: admin)
            let grants = try await server.extract(
                "-> 'update' @? '$[*] ? (@._id == \"manage-outgoing-integrations\" && @.roles[*] == \"user\")'",
                from: list.text
            )
            #expect(grants == "f")
            let denied = try await server.post(
                "/api/v1/permissions.update",
                json: #"{"permissions":[{"_id":"manage-outgoing-integrations","roles":["user"]}]}"#,
                as: user
            )
            #expect(denied.status == .forbidden)
        }
    }
}

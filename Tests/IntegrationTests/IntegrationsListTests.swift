import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import LibPQ
import Testing

/// `GET /api/v1/integrations.list`: spec section 3.2 and rows 7–9 and 16–18 of Rocket.Chat's end-to-end tests.
/// Each test filters on a name prefix of its own, since the database is shared.
@Suite struct IntegrationsListTests {
    static let forbidden = #"{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}"#

    /// The `_id`s of a list answer, in order.
    static func ids(_ response: TestResponse, _ server: TestServer, key: String = "integrations") async throws -> [String] {
        let text = try await server.extract("-> '\(key)'", from: response.text) ?? "[]"
        return try await server.pool.withSession { session in
            let result = try session.execute(
                sql: "SELECT string_agg(e ->> '_id', ',' ORDER BY n) FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(e, n)",
                [text]
            )
            return (result.string(row: 0, column: 0) ?? "").split(separator: ",").map(String.init)
        }
    }

    @Test func managerSeesEveryonesIntegrationsWithTheListEnvelope() async throws {
        try await TestServer.run { server in
            let prefix = "list-\(RandomToken.id())"
            let admin = try await server.createUser(roles: ["admin"])
            let other = try await server.createUser(roles: ["user"])
            let outgoing = try await server.createIntegration(type: "webhook-outgoing", createdBy: other, name: "\(prefix) a")
            let incoming = try await server.createIntegration(type: "webhook-incoming", createdBy: admin, name: "\(prefix) b")
            let response = try await server.get("/api/v1/integrations.list?name=\(prefix)", as: admin)
            #expect(response.status == .ok)
            #expect(try await Self.ids(response, server) == [outgoing, incoming])
            for (key, value) in [("offset", "0"), ("items", "2"), ("count", "2"), ("total", "2"), ("success", "true")] {
                #expect(try await server.extract("->> '\(key)'", from: response.text) == value)
            }
        }
    }

    @Test func ownPermissionsShowOnlyOwnIntegrations() async throws {
        try await TestServer.run { server in
            let prefix = "own-\(RandomToken.id())"
            let role = try await server.createRole(permissions: [Permission.manageOwnIncoming, Permission.manageOwnOutgoing])
            let alice = try await server.createUser(roles: ["user", role])
            let bob = try await server.createUser(roles: ["user", role])
            let mine = try await server.createIntegration(type: "webhook-outgoing", createdBy: alice, name: "\(prefix) 1")
            try await server.createIntegration(type: "webhook-incoming", createdBy: bob, name: "\(prefix) 2")
            let response = try await server.get("/api/v1/integrations.list?name=\(prefix)", as: alice)
            #expect(try await Self.ids(response, server) == [mine])
            #expect(try await server.extract("->> 'total'", from: response.text) == "1")
        }
    }

    @Test func mixedPermissionsCombinePerType() async throws {
        try await TestServer.run { server in
            let prefix = "mixed-\(RandomToken.id())"
            let role = try await server.createRole(permissions: [Permission.manageIncoming, Permission.manageOwnOutgoing])
            let caller = try await server.createUser(roles: [role])
            let other = try await server.createUser(roles: ["user"])
            let othersIncoming = try await server.createIntegration(type: "webhook-incoming", createdBy: other, name: "\(prefix) 1")
            try await server.createIntegration(type: "webhook-outgoing", createdBy: other, name: "\(prefix) 2")
            let ownOutgoing = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller, name: "\(prefix) 3")
            let response = try await server.get("/api/v1/integrations.list?name=\(prefix)", as: caller)
            #expect(try await Self.ids(response, server) == [othersIncoming, ownOutgoing])
        }
    }

    /// Rocket.Chat's rule: both "own" permissions restrict to the caller's own integrations, even when one
    /// "all" permission is also held (only both "all" permissions lift the filter).
    @Test func bothOwnPermissionsWinOverASingleManagePermission() async throws {
        try await TestServer.run { server in
            let prefix = "quirk-\(RandomToken.id())"
            let role = try await server.createRole(permissions: [
                Permission.manageOutgoing, Permission.manageOwnOutgoing, Permission.manageOwnIncoming,
            ])
            let caller = try await server.createUser(roles: [role])
            let other = try await server.createUser(roles: ["user"])
            try await server.createIntegration(type: "webhook-outgoing", createdBy: other, name: "\(prefix) 1")
            let own = try await server.createIntegration(type: "webhook-incoming", createdBy: caller, name: "\(prefix) 2")
            let response = try await server.get("/api/v1/integrations.list?name=\(prefix)", as: caller)
            #expect(try await Self.ids(response, server) == [own])
        }
    }

    @Test func withoutAnyIntegrationPermissionIs403() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let response = try await server.get("/api/v1/integrations.list", as: user)
            #expect(response.status == .forbidden)
            #expect(try await server.sameJSON(response.text, Self.forbidden))
            #expect(try await server.get("/api/v1/integrations.list").status == .unauthorized)
        }
    }

    @Test func nameIsACaseInsensitiveLiteralSubstringAndTypeIsExact() async throws {
        try await TestServer.run { server in
            let prefix = "name-\(RandomToken.id())"
            let admin = try await server.createUser(roles: ["admin"])
            let literal = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin, name: "\(prefix) Rate_50%")
            try await server.createIntegration(type: "webhook-outgoing", createdBy: admin, name: "\(prefix) RateX50Y")
            let incoming = try await server.createIntegration(type: "webhook-incoming", createdBy: admin, name: "\(prefix) incoming")
            let substring = try await server.get("/api/v1/integrations.list?name=\(prefix.uppercased())%20rate_50%25", as: admin)
            #expect(try await Self.ids(substring, server) == [literal])
            let typed = try await server.get("/api/v1/integrations.list?name=\(prefix)&type=webhook-incoming", as: admin)
            #expect(try await Self.ids(typed, server) == [incoming])
        }
    }

    @Test func pagesInTheRequestedOrder() async throws {
        try await TestServer.run { server in
            let prefix = "page-\(RandomToken.id())"
            let admin = try await server.createUser(roles: ["admin"])
            var byName: [String: String] = [:]
            for letter in ["d", "b", "e", "a", "c"] {
                byName[letter] = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin, name: "\(prefix) \(letter)")
            }
            let sort = #"{"name":-1}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let page = try await server.get("/api/v1/integrations.list?name=\(prefix)&sort=\(sort)&offset=1&count=2", as: admin)
            #expect(try await Self.ids(page, server) == [byName["d"], byName["c"]].compactMap { $0 })
            #expect(try await server.extract("->> 'total'", from: page.text) == "5")
            #expect(try await server.extract("->> 'count'", from: page.text) == "2")
            #expect(try await server.extract("->> 'offset'", from: page.text) == "1")
            let all = try await server.get("/api/v1/integrations.list?name=\(prefix)&count=0", as: admin)
            #expect(try await Self.ids(all, server) == ["d", "b", "e", "a", "c"].compactMap { byName[$0] })
        }
    }

    @Test(arguments: [
        ("offset=-1", "invalid-params"), ("count=abc", "invalid-params"), ("count=1.5", "invalid-params"),
        ("fields=%7B%7D", "invalid-params"), ("unknown=1", "invalid-params"), ("name=a&name=b", "invalid-params"),
        ("sort=notjson", "error-invalid-sort"), ("sort=%7B%22name%22%3A2%7D", "error-invalid-sort"),
        ("sort=%7B%22token%22%3A1%7D", "error-invalid-sort"), ("sort=%7B%7D", "error-invalid-sort"),
    ])
    func badParametersAreRocketChatErrors(query: String, errorType: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/integrations.list?\(query)", as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'errorType'", from: response.text) == errorType)
        }
    }

    @Test func invalidSortNamesTheRawParameter() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/integrations.list?sort=%7B%22name%22%3A2%7D", as: admin)
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"Invalid sort parameter provided: \"{\"name\":2}\" [error-invalid-sort]","errorType":"error-invalid-sort"}"#
                )
            )
        }
    }
}

/// `GET /api/v1/integrations.history`: spec section 3.3 and rows 10, 11 and 15 of Rocket.Chat's end-to-end tests.
@Suite struct IntegrationsHistoryTests {
    @Test func managerGetsTheRecordsNewestFirst() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let older = try await server.createHistory(integrationId: id, createdBy: admin, second: 1)
            let newer = try await server.createHistory(integrationId: id, createdBy: admin, second: 2)
            let response = try await server.get("/api/v1/integrations.history?id=\(id)", as: admin)
            #expect(response.status == .ok)
            #expect(try await IntegrationsListTests.ids(response, server, key: "history") == [newer, older])
            #expect(try await server.extract("->> 'total'", from: response.text) == "2")
            let ascending = try await server.get("/api/v1/integrations.history?id=\(id)&sort=%7B%22_updatedAt%22%3A1%7D&count=1", as: admin)
            #expect(try await IntegrationsListTests.ids(ascending, server, key: "history") == [older])
        }
    }

    @Test func ownOutgoingPermissionSeesOnlyOwnIntegrationsHistory() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageOwnOutgoing])
            let caller = try await server.createUser(roles: [role])
            let other = try await server.createUser(roles: ["user"])
            let own = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller)
            let foreign = try await server.createIntegration(type: "webhook-outgoing", createdBy: other)
            let record = try await server.createHistory(integrationId: own, createdBy: caller, second: 1)
            try await server.createHistory(integrationId: foreign, createdBy: other, second: 1)
            let mine = try await server.get("/api/v1/integrations.history?id=\(own)", as: caller)
            #expect(try await IntegrationsListTests.ids(mine, server, key: "history") == [record])
            let theirs = try await server.get("/api/v1/integrations.history?id=\(foreign)", as: caller)
            #expect(theirs.status == .ok)
            #expect(try await server.extract("->> 'total'", from: theirs.text) == "0")
            #expect(try await server.extract("-> 'history'", from: theirs.text) == "[]")
        }
    }

    @Test func incomingPermissionsDoNotGrantHistory() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageIncoming, Permission.manageOwnIncoming])
            let caller = try await server.createUser(roles: [role])
            let response = try await server.get("/api/v1/integrations.history?id=anything", as: caller)
            #expect(response.status == .forbidden)
            #expect(try await server.sameJSON(response.text, IntegrationsListTests.forbidden))
        }
    }

    @Test func missingOrBlankIdIsRejected() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let missing = try await server.get("/api/v1/integrations.history", as: admin)
            #expect(
                try await server.sameJSON(
                    missing.text,
                    #"{"success":false,"error":"must have required property 'id' [invalid-params]","errorType":"invalid-params"}"#
                )
            )
            let blank = try await server.get("/api/v1/integrations.history?id=%20%20", as: admin)
            #expect(try await server.sameJSON(blank.text, #"{"success":false,"error":"Invalid integration id."}"#))
            let unknown = try await server.get("/api/v1/integrations.history?id=nope", as: admin)
            #expect(try await server.sameJSON(unknown.text, #"{"history":[],"offset":0,"items":0,"count":0,"total":0,"success":true}"#))
        }
    }
}

import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import Testing

/// `POST integrations.remove` (spec 3.6, rows 18–22 and 29–33) and `POST integrations.clearHistory` (spec 3.7).
@Suite struct IntegrationsRemoveTests {
    @Test(arguments: ["webhook-outgoing", "webhook-incoming"])
    func managerRemovesAndGetsTheDocumentBack(type: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let other = try await server.createUser(roles: ["user"])
            let id = try await server.createIntegration(type: type, createdBy: other)
            let response = try await server.post("/api/v1/integrations.remove", json: #"{"type":"\#(type)","integrationId":"\#(id)"}"#, as: admin)
            #expect(response.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: response.text) == id)
            #expect(try await server.extract("->> 'success'", from: response.text) == "true")
            let again = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin)
            #expect(again.text.contains("does not exists"))
            let twice = try await server.post("/api/v1/integrations.remove", json: #"{"type":"\#(type)","integrationId":"\#(id)"}"#, as: admin)
            #expect(try await server.sameJSON(twice.text, #"{"success":false,"error":"No integration found."}"#))
        }
    }

    @Test func removingAnOutgoingIntegrationRemovesItsHistory() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(
                type: "webhook-outgoing",
                createdBy: admin,
                extra: #","urls":["http://example.com/\#(RandomToken.id())"]"#
            )
            try await server.createHistory(integrationId: id, createdBy: admin, second: 1)
            try await server.createHistory(integrationId: id, createdBy: admin, second: 2)
            let url = try #require(
                try await server.extract(
                    "-> 'integration' -> 'urls' ->> 0",
                    from: try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin).text
                )
            )
            let response = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing","target_url":"\#(url)"}"#,
                as: admin
            )
            #expect(response.status == .ok)
            let history = try await server.get("/api/v1/integrations.history?id=\(id)", as: admin)
            #expect(try await server.extract("->> 'total'", from: history.text) == "0")
        }
    }

    @Test func ownPermissionRemovesOnlyOwnIntegrations() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageOwnOutgoing])
            let caller = try await server.createUser(roles: [role])
            let other = try await server.createUser(roles: ["user"])
            let foreign = try await server.createIntegration(type: "webhook-outgoing", createdBy: other)
            let own = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller)
            let denied = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing","integrationId":"\#(foreign)"}"#,
                as: caller
            )
            #expect(
                try await server.sameJSON(
                    denied.text,
                    #"{"success":false,"error":"Invalid integration [error-invalid-integration]","errorType":"error-invalid-integration","details":{"method":"deleteOutgoingIntegration"}}"#
                )
            )
            let allowed = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing","integrationId":"\#(own)"}"#,
                as: caller
            )
            #expect(allowed.status == .ok)
        }
    }

    @Test func permissionForTheOtherKindOnlyIsUnauthorized() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageIncoming])
            let caller = try await server.createUser(roles: [role])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller)
            let response = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing","integrationId":"\#(id)"}"#,
                as: caller
            )
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"Unauthorized [not_authorized]","errorType":"not_authorized","details":{"method":"deleteOutgoingIntegration"}}"#
                )
            )
        }
    }

    @Test func withoutAnyIntegrationPermissionIs403() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let response = try await server.post("/api/v1/integrations.remove", json: #"{"type":"webhook-incoming","integrationId":"x"}"#, as: user)
            #expect(response.status == .forbidden)
            #expect(try await server.sameJSON(response.text, IntegrationsListTests.forbidden))
        }
    }

    @Test func bodyIsValidatedAsRocketChatsOneOfSchema() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let invalidType = try await server.post("/api/v1/integrations.remove", json: #"{"type":"invalid-type","integrationId":"x"}"#, as: admin)
            #expect(invalidType.status == .badRequest)
            #expect(invalidType.text.contains("must match exactly one schema in oneOf"))
            let missing = try await server.post("/api/v1/integrations.remove", json: #"{}"#, as: admin)
            #expect(
                try await server.sameJSON(
                    missing.text,
                    #"{"success":false,"error":"must have required property 'type'\n must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf [invalid-params]","errorType":"invalid-params"}"#
                )
            )
            let both = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing","integrationId":"x","target_url":"y"}"#,
                as: admin
            )
            #expect(both.text.contains("must match exactly one schema in oneOf [invalid-params]"))
            let unanchored = try await server.post(
                "/api/v1/integrations.remove",
                json: #"{"type":"webhook-outgoing-invalid","integrationId":"x"}"#,
                as: admin
            )
            #expect(try await server.sameJSON(unanchored.text, #"{"success":false,"error":"Invalid integration type."}"#))
            let notJSON = try await server.post("/api/v1/integrations.remove", json: "nope", as: admin)
            #expect(notJSON.status == .badRequest)
        }
    }

    @Test func clearHistoryDeletesTheRecordsOfAManageableIntegration() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageOwnOutgoing])
            let caller = try await server.createUser(roles: [role])
            let other = try await server.createUser(roles: ["user"])
            let own = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller)
            let foreign = try await server.createIntegration(type: "webhook-outgoing", createdBy: other)
            try await server.createHistory(integrationId: own, createdBy: caller, second: 1)
            let cleared = try await server.post("/api/v1/integrations.clearHistory", json: #"{"integrationId":"\#(own)"}"#, as: caller)
            #expect(try await server.sameJSON(cleared.text, #"{"success":true}"#))
            let history = try await server.get("/api/v1/integrations.history?id=\(own)", as: caller)
            #expect(try await server.extract("->> 'total'", from: history.text) == "0")
            let denied = try await server.post("/api/v1/integrations.clearHistory", json: #"{"integrationId":"\#(foreign)"}"#, as: caller)
            #expect(
                try await server.sameJSON(
                    denied.text,
                    #"{"success":false,"error":"Invalid integration [error-invalid-integration]","errorType":"error-invalid-integration","details":{"method":"clearIntegrationHistory"}}"#
                )
            )
        }
    }

    @Test(arguments: [
        (#"{}"#, "must have required property 'integrationId' [invalid-params]"),
        (#"{"integrationId":""}"#, "must NOT have fewer than 1 characters [invalid-params]"),
        (#"{"integrationId":"x","extra":1}"#, "must NOT have additional properties [invalid-params]"),
        (#"{"integrationId":5}"#, "must be string [invalid-params]"),
    ])
    func clearHistoryValidatesItsBody(body: String, error: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.post("/api/v1/integrations.clearHistory", json: body, as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'error'", from: response.text) == error)
        }
    }

    @Test func clearHistoryNeedsAnOutgoingPermission() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageIncoming])
            let caller = try await server.createUser(roles: [role])
            let response = try await server.post("/api/v1/integrations.clearHistory", json: #"{"integrationId":"x"}"#, as: caller)
            #expect(response.status == .forbidden)
        }
    }
}

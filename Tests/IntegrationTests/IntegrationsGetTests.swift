import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /api/v1/integrations.get`: spec section 3.1 and the integrations.get rows of Rocket.Chat's
/// outgoing (7.1) and incoming (7.2) end-to-end tests.
@Suite struct IntegrationsGetTests {
    static let notLoggedIn =
        #"{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}"#
    static let doesNotExist = #"{"success":false,"error":"The integration does not exists."}"#
    static let notAuthorized = #"{"success":false,"error":"not-authorized"}"#

    @Test(arguments: ["webhook-outgoing", "webhook-incoming"])
    func managerGetsAnyIntegrationWithItsFullDocument(type: String) async throws {
        try await TestServer.run { server in
            let owner = try await server.createUser(roles: ["user"])
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: type, createdBy: owner, extra: #","token":"xMxa3o95","urls":["http://example.com/a"]"#)
            let response = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: response.text) == id)
            #expect(try await server.extract("-> 'integration' ->> 'token'", from: response.text) == "xMxa3o95")
            #expect(try await server.extract("->> 'success'", from: response.text) == "true")
            #expect(try await server.extract("-> 'history'", from: response.text) == "[]")
        }
    }

    @Test func missingIntegrationIdIsInvalidParams() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/integrations.get", as: admin)
            #expect(response.status == .badRequest)
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"must have required property 'integrationId' [invalid-params]","errorType":"invalid-params"}"#
                )
            )
        }
    }

    @Test func emptyIntegrationIdIsRequiredError() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/integrations.get?integrationId=", as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"The query parameter \"integrationId\" is required."}"#))
        }
    }

    @Test func unknownIdDoesNotExist() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.get("/api/v1/integrations.get?integrationId=invalid", as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.sameJSON(response.text, Self.doesNotExist))
        }
    }

    @Test func existenceIsCheckedBeforePermissions() async throws {
        try await TestServer.run { server in
            let nobody = try await server.createUser(roles: ["user"])
            let response = try await server.get("/api/v1/integrations.get?integrationId=invalid", as: nobody)
            #expect(try await server.sameJSON(response.text, Self.doesNotExist))
        }
    }

    /// Rows 13/14 and 20/21: without `manage-<type>-integrations`, even the creator (who also lacks the "own"
    /// permission) and certainly others get `not-authorized`.
    @Test(arguments: ["webhook-outgoing", "webhook-incoming"])
    func callerWithoutPermissionIsNotAuthorized(type: String) async throws {
        try await TestServer.run { server in
            let creator = try await server.createUser(roles: ["user"])
            let other = try await server.createUser(roles: ["user"])
            let id = try await server.createIntegration(type: type, createdBy: creator)
            for caller in [creator, other] {
                let response = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: caller)
                #expect(response.status == .badRequest)
                #expect(try await server.sameJSON(response.text, Self.notAuthorized))
            }
        }
    }

    /// Rows 16 and 23: the "own" permission lets the creator read it, and nobody else's.
    @Test(arguments: [
        ("webhook-outgoing", Permission.manageOwnOutgoing), ("webhook-incoming", Permission.manageOwnIncoming),
    ])
    func ownPermissionCoversOnlyOwnIntegrations(type: String, permission: String) async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [permission])
            let creator = try await server.createUser(roles: ["user", role])
            let colleague = try await server.createUser(roles: ["user", role])
            let id = try await server.createIntegration(type: type, createdBy: creator)
            let own = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: creator)
            #expect(own.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: own.text) == id)
            let others = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: colleague)
            #expect(try await server.sameJSON(others.text, Self.notAuthorized))
        }
    }

    /// The permission is chosen by the integration's type: an outgoing permission does not open incoming ones.
    @Test func permissionMustMatchTheIntegrationType() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageOutgoing, Permission.manageOwnOutgoing])
            let caller = try await server.createUser(roles: [role])
            let incoming = try await server.createIntegration(type: "webhook-incoming", createdBy: caller)
            let outgoing = try await server.createIntegration(type: "webhook-outgoing", createdBy: caller)
            let denied = try await server.get("/api/v1/integrations.get?integrationId=\(incoming)", as: caller)
            #expect(try await server.sameJSON(denied.text, Self.notAuthorized))
            let allowed = try await server.get("/api/v1/integrations.get?integrationId=\(outgoing)", as: caller)
            #expect(allowed.status == .ok)
        }
    }

    @Test func createdByNarrowsTheLookup() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let creator = try await server.createUser(roles: ["user"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: creator)
            let matching = try await server.get("/api/v1/integrations.get?integrationId=\(id)&createdBy=\(creator.id)", as: admin)
            #expect(matching.status == .ok)
            let other = try await server.get("/api/v1/integrations.get?integrationId=\(id)&createdBy=\(admin.id)", as: admin)
            #expect(try await server.sameJSON(other.text, Self.doesNotExist))
            let empty = try await server.get("/api/v1/integrations.get?integrationId=\(id)&createdBy=", as: admin)
            #expect(empty.status == .ok)
        }
    }

    @Test func missingOrWrongCredentialsAre401() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let uri = "/api/v1/integrations.get?integrationId=\(id)"
            let anonymous = try await server.get(uri)
            let wrongToken = try await server.get(uri, as: admin.withWrongToken)
            let onlyUser = try await server.get(uri, headers: [HTTPField.Name("X-User-Id")!: admin.id])
            let onlyToken = try await server.get(uri, headers: [HTTPField.Name("X-Auth-Token")!: admin.token])
            let otherUsersToken = try await server.get(
                uri,
                headers: [HTTPField.Name("X-User-Id")!: "someone-else", HTTPField.Name("X-Auth-Token")!: admin.token]
            )
            for response in [anonymous, wrongToken, onlyUser, onlyToken, otherUsersToken] {
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/json")
                #expect(try await server.sameJSON(response.text, Self.notLoggedIn))
            }
            // Rocket.Chat authenticates before it validates the query.
            let invalidAnonymous = try await server.get("/api/v1/integrations.get")
            #expect(invalidAnonymous.status == .unauthorized)
        }
    }

    @Test func historyHoldsTheNewestRecordsFirst() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            var records: [String] = []
            for second in [5, 1, 12, 3, 9, 7, 11, 2, 8, 10, 4, 6] {
                records.append(try await server.createHistory(integrationId: id, second: second))
            }
            let otherIntegration = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            try await server.createHistory(integrationId: otherIntegration, second: 59)

            let byDefault = try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin)
            #expect(try await server.extract("-> 'history' ->> 0", from: byDefault.text).map { $0.contains("14:15:12.606Z") } == true)
            #expect(try await server.extract("-> 'history' -> 0 ->> '_id'", from: byDefault.text) == records[2])
            #expect(try await server.extract("-> 'history' -> 9 ->> '_updatedAt'", from: byDefault.text) == "2019-11-29T14:15:03.606Z")
            #expect(try await server.extract("-> 'history' -> 10", from: byDefault.text) == nil)

            let two = try await server.get("/api/v1/integrations.get?integrationId=\(id)&historyCount=2", as: admin)
            #expect(try await server.extract("-> 'history' -> 1 ->> '_updatedAt'", from: two.text) == "2019-11-29T14:15:11.606Z")
            #expect(try await server.extract("-> 'history' -> 2", from: two.text) == nil)

            let none = try await server.get("/api/v1/integrations.get?integrationId=\(id)&historyCount=0", as: admin)
            #expect(none.status == .ok)
            #expect(try await server.extract("? 'history'", from: none.text) == "f")
            #expect(try await server.extract("-> 'integration' ->> '_id'", from: none.text) == id)
        }
    }

    @Test(arguments: ["101", "-1", "abc", "1.5", "", "1e2", "10&historyCount=11"])
    func invalidHistoryCountIsInvalidParams(value: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin)
            let response = try await server.get("/api/v1/integrations.get?integrationId=\(id)&historyCount=\(value)", as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'errorType'", from: response.text) == "invalid-params")
        }
    }

    @Test func malformedQueriesAreClearErrors() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let tooLong = String(repeating: "a", count: 129)
            for query in [
                "integrationId=%ff%fe", "integrationId=%zz", "integrationId=%00", "integrationId=\(tooLong)", "integrationId=a&integrationId=b",
            ] {
                let response = try await server.get("/api/v1/integrations.get?\(query)", as: admin)
                #expect(response.status == .badRequest, "\(query)")
                #expect(try await server.extract("->> 'errorType'", from: response.text) == "invalid-params", "\(query)")
                #expect(try await server.extract("->> 'success'", from: response.text) == "false")
            }
        }
    }

    /// Every stored field comes back: nested objects, arrays, unicode, big and precise numbers, unknown fields.
    @Test func storedDocumentRoundTrips() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let extra =
                #","urls":["http://a/1","http://a/2"],"nested":{"deep":{"deeper":[1,{"x":null},true,false,"s"]}},"#
                + #""unicode":"héllo \u2028 שלום 🚀 \"q\" \\ \n","big":12345678901234567890123,"precise":0.1000000000000000055511151231257827,"#
                + #""keepsZeros":1.50,"unknownImportedField":{"$weird":"kept"}"#
            let id = try await server.createIntegration(type: "webhook-outgoing", createdBy: admin, extra: extra)
            let response = try await server.get("/api/v1/integrations.get?integrationId=\(id)&historyCount=0", as: admin)
            #expect(response.status == .ok)
            let integration = try #require(try await server.extract("-> 'integration'", from: response.text))
            let expected = """
                {"_id":"\(id)","type":"webhook-outgoing","name":"integration \(id)","enabled":true,"username":"rocket.cat",\
                "channel":["#general"],"scriptEnabled":false,"_createdAt":"2024-01-10T14:12:52.201Z",\
                "_createdBy":{"_id":"\(admin.id)","username":"\(admin.username)"},"_updatedAt":"2024-01-10T14:12:52.203Z"\(extra)}
                """
            #expect(try await server.sameJSON(integration, expected))
            // The numbers are written as PostgreSQL stores them, never through a Double.
            #expect(response.text.contains("12345678901234567890123"))
            #expect(response.text.contains("0.1000000000000000055511151231257827"))
            #expect(response.text.contains("1.50"))
        }
    }

    @Test func infoAnswersASemverVersionWithoutAuthentication() async throws {
        try await TestServer.run { server in
            let response = try await server.get("/api/info")
            #expect(response.status == .ok)
            let version = try #require(try await server.extract("->> 'version'", from: response.text))
            #expect(version.split(separator: ".").count == 2 && version.split(separator: ".").allSatisfy { Int($0) != nil })
        }
    }

    @Test func unknownRouteIs404InRocketChatShape() async throws {
        try await TestServer.run { server in
            let response = try await server.get("/api/v1/integrations.nothing")
            #expect(response.status == .notFound)
            #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"Resource not found"}"#))
        }
    }
}

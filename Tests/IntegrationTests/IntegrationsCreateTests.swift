import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import Testing

/// `POST integrations.create` (spec 3.4; rows 1–6 of both of Rocket.Chat's end-to-end suites).
@Suite struct IntegrationsCreateTests {
    static let guggy =
        #"{"type":"webhook-outgoing","name":"Guggy","enabled":true,"alias":"guggy","username":"rocket.cat","urls":["http://text2gif.guggy.com/guggify"],"scriptEnabled":false,"event":"sendMessage","channel":"\#u{23}general","triggerWords":["!guggy"],"avatar":"https://example.com/guggy.png","emoji":":ghost:"}"#
    static let incoming =
        #"{"type":"webhook-incoming","name":"Incoming test","enabled":true,"alias":"test","username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general"}"#

    @Test func outgoingIntegrationIsStoredAsRocketChatStoresIt() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.post("/api/v1/integrations.create", json: Self.guggy, as: admin)
            #expect(response.status == .ok)
            let expected: [(String, String?)] = [
                ("->> 'success'", "true"), ("-> 'integration' ->> 'name'", "Guggy"), ("-> 'integration' ->> 'type'", "webhook-outgoing"),
                ("-> 'integration' ->> 'enabled'", "true"), ("-> 'integration' ->> 'username'", "rocket.cat"),
                ("-> 'integration' ->> 'event'", "sendMessage"), ("-> 'integration' ->> 'channel'", #"["\#u{23}general"]"#),
                ("-> 'integration' ->> 'userId'", "rocket.cat"), ("-> 'integration' -> '_createdBy' ->> '_id'", admin.id),
                ("-> 'integration' -> '_createdBy' ->> 'username'", admin.username), ("-> 'integration' ->> 'triggerWords'", #"["!guggy"]"#),
                ("-> 'integration' ->> 'scriptEngine'", "isolated-vm"), ("-> 'integration' ->> 'retryCount'", nil),
            ]
            for (path, value) in expected {
                #expect(try await server.extract(path, from: response.text) == value, "\(path)")
            }
            let id = try #require(try await server.extract("-> 'integration' ->> '_id'", from: response.text))
            #expect(id.count == 17)
            let created = try #require(try await server.extract("-> 'integration' ->> '_createdAt'", from: response.text))
            #expect(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
            let fetched = try await server.get("/api/v1/integrations.get?integrationId=\(id)&historyCount=0", as: admin)
            #expect(
                try await server.sameJSON(
                    try #require(try await server.extract("-> 'integration'", from: fetched.text)),
                    try #require(try await server.extract("-> 'integration'", from: response.text))
                )
            )
        }
    }

    @Test func incomingIntegrationGetsATokenDefaultsAndABotPoster() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let poster = try await server.createUser(roles: ["user"])
            let body = Self.incoming.replacingOccurrences(of: "rocket.cat", with: poster.username)
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(response.status == .ok)
            let token = try #require(try await server.extract("-> 'integration' ->> 'token'", from: response.text))
            #expect(token.count == 48)
            #expect(token.utf8.allSatisfy { RandomToken.idAlphabet.contains($0) })
            #expect(try await server.extract("-> 'integration' ->> 'overrideDestinationChannelEnabled'", from: response.text) == "false")
            #expect(try await server.extract("-> 'integration' ->> 'userId'", from: response.text) == poster.id)
            #expect(try await server.extract("-> 'integration' ->> 'channel'", from: response.text) == #"["\#u{23}general"]"#)
            #expect(try await server.roles(of: poster.id).contains("bot"))
        }
    }

    @Test func withoutPermissionsBothKindsAreNotAuthorized() async throws {
        try await TestServer.run { server in
            let user = try await server.createUser(roles: ["user"])
            let outgoing = try await server.post("/api/v1/integrations.create", json: Self.guggy, as: user)
            #expect(try await server.sameJSON(outgoing.text, #"{"success":false,"error":"[not_authorized]","errorType":"not_authorized"}"#))
            let incoming = try await server.post("/api/v1/integrations.create", json: Self.incoming, as: user)
            #expect(
                try await server.sameJSON(
                    incoming.text,
                    #"{"success":false,"error":"Unauthorized [not_authorized]","errorType":"not_authorized","details":{"method":"addIncomingIntegration"}}"#
                )
            )
            #expect(try await server.post("/api/v1/integrations.create", json: Self.guggy).status == .unauthorized)
        }
    }

    @Test(arguments: ["webhook-outgoing-invalid", "webhook-incoming-invalid"])
    func unanchoredTypeMatchIsInvalidIntegrationType(type: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let body = (type.hasPrefix("webhook-outgoing") ? Self.guggy : Self.incoming)
                .replacingOccurrences(of: #""type":"webhook-outgoing""#, with: #""type":"\#(type)""#)
                .replacingOccurrences(of: #""type":"webhook-incoming""#, with: #""type":"\#(type)""#)
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(try await server.sameJSON(response.text, #"{"success":false,"error":"Invalid integration type."}"#))
        }
    }

    @Test(arguments: [
        (
            #""channel":"general""#, "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
            #"{"method":"updateIncomingIntegration"}"#
        ),
        (#""channel":"  ""#, "Invalid channel [error-invalid-channel]", #"{"method":"addIncomingIntegration"}"#),
        (
            #""channel":"\#u{23}general,""#, "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
            #"{"method":"updateIncomingIntegration"}"#
        ),
        (#""username":" ""#, "Invalid username [error-invalid-username]", #"{"method":"addIncomingIntegration"}"#),
        (#""username":"nobody-at-all""#, "Invalid user [error-invalid-user]", #"{"method":"addIncomingIntegration"}"#),
        (#""channel":"\#u{23}no-such-room""#, "Invalid room [error-invalid-room]", #"{"method":"addIncomingIntegration"}"#),
    ])
    func incomingValidationErrors(change: String, error: String, details: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let key = String(change.split(separator: ":")[0])
            let body = Self.replacing(key, with: change, in: Self.incoming)
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'error'", from: response.text) == error)
            #expect(try await server.sameJSON(try #require(try await server.extract("-> 'details'", from: response.text)), details))
        }
    }

    @Test(arguments: [
        (#""event":"noSuchEvent""#, "Invalid event type [error-invalid-event-type]"),
        (#""urls":["  "]"#, "Invalid URLs [error-invalid-urls]"),
        (#""event":"userCreated""#, "Invalid Target Room [error-invalid-targetRoom]"),
        (#""channel":"general""#, "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]"),
        (#""channel":"\#u{23}no-such-room""#, "Invalid room [error-invalid-room]"),
        (#""channel":"ALL_PUBLIC_CHANNELS""#, "Invalid room [error-invalid-room]"),
        (#""username":"nobody-at-all""#, "Invalid user (did you delete the `rocket.cat` user?) [error-invalid-user]"),
    ])
    func outgoingValidationErrors(change: String, error: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let key = String(change.split(separator: ":")[0])
            let response = try await server.post("/api/v1/integrations.create", json: Self.replacing(key, with: change, in: Self.guggy), as: admin)
            #expect(response.status == .badRequest)
            #expect(try await server.extract("->> 'error'", from: response.text) == error)
        }
    }

    @Test func outgoingWithoutURLsIsRefused() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let body = Self.guggy.replacingOccurrences(of: #""urls":["http://text2gif.guggy.com/guggify"],"#, with: "")
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"Invalid URLs [error-invalid-urls]","errorType":"error-invalid-urls","details":{"function":"validateOutgoing._verifyRequiredFields"}}"#
                )
            )
        }
    }

    /// Callers without both permissions must be members of every room they target; scoped channels beyond
    /// public ones and channel-less events need the "manage" permission.
    @Test func ownOnlyCallersAreLimitedToTheirRooms() async throws {
        try await TestServer.run { server in
            let role = try await server.createRole(permissions: [Permission.manageOwnOutgoing, Permission.manageOwnIncoming])
            let caller = try await server.createUser(roles: [role])
            let stranger = try await server.createUser(roles: ["user"])
            let foreignRoom = try await server.createRoom(members: [stranger])
            let ownRoom = try await server.createRoom(members: [caller])
            let cases: [(String, String?)] = [
                (Self.guggy, nil),
                (Self.replacing("\"channel\"", with: #""channel":"\#u{23}\#(ownRoom.name)""#, in: Self.guggy), nil),
                (
                    Self.replacing("\"channel\"", with: #""channel":"\#u{23}\#(foreignRoom.name)""#, in: Self.guggy),
                    "Invalid Channel [error-invalid-channel]"
                ),
                (Self.replacing("\"channel\"", with: #""channel":"all_private_groups""#, in: Self.guggy), "Invalid Channel [error-invalid-channel]"),
                (Self.replacing("\"channel\"", with: #""channel":"all_public_channels""#, in: Self.guggy), nil),
                (
                    Self.replacing("\"event\"", with: #""event":"roomCreated""#, in: Self.guggy),
                    "Invalid permission for required Integration creation. [error-invalid-permissions]"
                ),
                (Self.incoming, nil),
                (
                    Self.replacing("\"channel\"", with: #""channel":"\#u{23}\#(foreignRoom.id)""#, in: Self.incoming),
                    "Invalid Channel [error-invalid-channel]"
                ),
                (
                    Self.replacing("\"channel\"", with: #""channel":"@\#(stranger.username)""#, in: Self.incoming),
                    "Invalid Channel [error-invalid-channel]"
                ),
            ]
            for (body, error) in cases {
                let response = try await server.post("/api/v1/integrations.create", json: body, as: caller)
                #expect(try await server.extract("->> 'error'", from: response.text) == error, "\(body)")
            }
        }
    }

    @Test func outgoingFieldsAreNormalisedAsRocketChatDoes() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let retrying = Self.replacing(
                "\"triggerWords\"",
                with:
                    #""triggerWords":["!a"," "],"retryFailedCalls":true,"retryCount":-2,"retryDelay":"","runOnEdits":false,"urls":["http://a"," "]"#,
                in: Self.guggy.replacingOccurrences(of: #""urls":["http://text2gif.guggy.com/guggify"],"#, with: "")
            )
            let first = try await server.post("/api/v1/integrations.create", json: retrying, as: admin)
            #expect(first.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> 'triggerWords'", from: first.text) == #"["!a"]"#)
            #expect(try await server.extract("-> 'integration' ->> 'urls'", from: first.text) == #"["http://a"]"#)
            #expect(try await server.extract("-> 'integration' ->> 'retryCount'", from: first.text) == "4")
            #expect(try await server.extract("-> 'integration' ->> 'retryDelay'", from: first.text) == "powers-of-ten")
            #expect(try await server.extract("-> 'integration' ->> 'runOnEdits'", from: first.text) == "false")

            let joined = Self.replacing(
                "\"event\"",
                with: #""event":"roomJoined","retryFailedCalls":true,"retryCount":3,"retryDelay":"Powers-Of-Two""#,
                in: Self.guggy
            )
            let second = try await server.post("/api/v1/integrations.create", json: joined, as: admin)
            #expect(try await server.extract("-> 'integration' ->> 'triggerWords'", from: second.text) == nil)
            #expect(try await server.extract("-> 'integration' ->> 'retryCount'", from: second.text) == "3")
            #expect(try await server.extract("-> 'integration' ->> 'retryDelay'", from: second.text) == "powers-of-two")
        }
    }

    @Test(arguments: [
        (#"{"type":"webhook-incoming"}"#, "must have required property"),
        (
            #"{"type":"webhook-incoming","name":"x","enabled":true,"username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general","extra":1}"#,
            "must NOT have additional properties"
        ),
        (
            #"{"type":"webhook-incoming","name":"x","enabled":"yes","username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general"}"#,
            "must be boolean"
        ),
        (
            #"{"type":"webhook-outgoing","name":"x","enabled":true,"username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general","event":"sendMessage","urls":[""]}"#,
            "must NOT have fewer than 1 characters"
        ),
        (
            #"{"type":"webhook-outgoing","name":"x","enabled":true,"username":"rocket.cat","scriptEnabled":false,"channel":"\#u{23}general","event":"sendMessage","retryCount":"3"}"#,
            "must be number"
        ),
    ])
    func bodySchemaErrorsAreInvalidParams(body: String, fragment: String) async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(response.status == .badRequest)
            let error = try #require(try await server.extract("->> 'error'", from: response.text))
            #expect(error.contains(fragment))
            #expect(error.hasSuffix("must match exactly one schema in oneOf [invalid-params]"))
            #expect(try await server.extract("->> 'errorType'", from: response.text) == "invalid-params")
        }
    }

    /// A refused incoming integration writes nothing: no document, and no `bot` role for the poster.
    @Test func refusedCreationWritesNothing() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let poster = try await server.createUser(roles: ["user"])
            let name = "refused-\(RandomToken.id())"
            let body = Self.incoming
                .replacingOccurrences(of: "rocket.cat", with: poster.username)
                .replacingOccurrences(of: "Incoming test", with: name)
                .replacingOccurrences(of: "#general", with: "#general,#no-such-room")
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(try await server.extract("->> 'errorType'", from: response.text) == "error-invalid-room")
            #expect(try await !server.roles(of: poster.id).contains("bot"))
            let list = try await server.get("/api/v1/integrations.list?name=\(name)", as: admin)
            #expect(try await server.extract("->> 'total'", from: list.text) == "0")
        }
    }

    @Test func nulCharactersAreRefusedWithAClearMessage() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let body = Self.guggy.replacingOccurrences(of: "\"Guggy\"", with: #""Gu\u0000ggy""#)
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(response.status == .badRequest)
            #expect(try #require(try await server.extract("->> 'error'", from: response.text)).contains("\\u0000"))
        }
    }

    /// Replaces the member `key` (with its quotes, e.g. `"channel"`) of a flat JSON object by `member`.
    static func replacing(_ key: String, with member: String, in json: String) -> String {
        guard let start = json.range(of: key + ":") else { return json }
        var end = start.upperBound
        var depth = 0
        var inString = false
        while end < json.endIndex {
            let character = json[end]
            if inString {
                if character == "\\" { end = json.index(after: end) } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if character == ",", depth == 0 {
                break
            }
            end = json.index(after: end)
        }
        return json.replacingCharacters(in: start.lowerBound..<end, with: member)
    }

    /// A number beyond PostgreSQL's numeric range (Rocket.Chat's schema only asks for a number) is refused with
    /// a 400 in Rocket.Chat's shape, not a 500, and nothing is stored.
    @Test func aNumberPostgreSQLCannotStoreIsA400() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            let name = "huge-\(RandomToken.id())"
            let body = Self.guggy
                .replacingOccurrences(of: #""name":"Guggy""#, with: #""name":"\#(name)""#)
                .replacingOccurrences(of: #""enabled":true"#, with: #""enabled":true,"retryCount":1e999999"#)
            let response = try await server.post("/api/v1/integrations.create", json: body, as: admin)
            #expect(response.status == .badRequest)
            #expect(
                try await server.sameJSON(
                    response.text,
                    #"{"success":false,"error":"The request holds a value that cannot be stored [error-invalid-value]","errorType":"error-invalid-value"}"#
                )
            )
            let listed = try await server.get("/api/v1/integrations.list?name=\(name)", as: admin)
            #expect(try await server.extract("->> 'total'", from: listed.text) == "0")
        }
    }
}

import Foundation
import HTTPTypes
import IntegrationsCore
import IntegrationsDelivery
import IntegrationsStore
import LibPQ
import NIOHTTP1
import Testing

/// Outgoing webhooks end to end: an API call that causes an event, the delivery engine, a real HTTP sink on
/// loopback, and the history records Rocket.Chat would have written. The suite has a PostgreSQL cluster of its
/// own, so that deliveries triggered by other suites' integrations never reach its engines; its tests run one at a
/// time, so that each test's deliveries are made by its own engine, with its own settings.
@Suite(.serialized) struct OutgoingWebhookTests {
    /// The suite's own database.
    static let database = Task<String, any Error> { try await TestDatabase.privateDatabase().conninfo }

    /// The engine settings of the tests: short timeouts and leases, the sinks' loopback addresses allowed
    /// (127.0.0.3 stays refused: the tests' example of an address the policy blocks).
    static func settings(_ change: (inout DeliverySettings) -> Void = { _ in }) -> DeliverySettings {
        var settings = DeliverySettings()
        settings.pollInterval = .milliseconds(200)
        settings.lease = .seconds(3)
        settings.totalTimeout = .seconds(5)
        settings.connectTimeout = .seconds(2)
        settings.siteURL = "https://chat.example"
        settings.drainTimeout = .seconds(1)
        settings.addressPolicy = AddressPolicy(allowed: [CIDR("127.0.0.1/32")!, CIDR("127.0.0.2/32")!])
        change(&settings)
        return settings
    }

    static func run<R: Sendable>(
        _ change: (inout DeliverySettings) -> Void = { _ in },
        _ body: @Sendable (TestServer, TestUser) async throws -> R
    ) async throws -> R {
        let conninfo = try await database.value
        return try await TestServer.run(conninfo: conninfo, delivering: settings(change)) { server in
            let admin = try await server.createUser(roles: ["admin"])
            return try await body(server, admin)
        }
    }

    /// Creates an outgoing integration through the API; returns its id.
    static func createOutgoing(
        _ server: TestServer,
        as admin: TestUser,
        event: String,
        channel: String = "",
        urls: [String],
        token: String = "outgoing-token",
        extra: String = ""
    ) async throws -> String {
        let urlList = urls.map { JSONValue.string($0).text }.joined(separator: ",")
        let response = try await server.post(
            "/api/v1/integrations.create",
            json: """
                {"type":"webhook-outgoing","name":"hook \(RandomToken.id())","enabled":true,"event":"\(event)","channel":"\(channel)",\
                "urls":[\(urlList)],"username":"rocket.cat","scriptEnabled":false,"token":"\(token)"\(extra)}
                """,
            as: admin
        )
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try JSONParser.parse(response.text)["integration"]?["_id"]?.stringValue)
    }

    /// The integration's history records, newest first, read through `integrations.get`.
    static func history(_ server: TestServer, as admin: TestUser, of integrationId: String, count: Int = 20) async throws -> [JSONValue] {
        let response = try await server.get("/api/v1/integrations.get?integrationId=\(integrationId)&historyCount=\(count)", as: admin)
        return try JSONParser.parse(response.text)["history"]?.arrayValue ?? []
    }

    /// Waits until the integration has `count` records that no longer show a call in flight (bounded).
    static func settledHistory(
        _ server: TestServer,
        as admin: TestUser,
        of integrationId: String,
        count: Int,
        timeout: Duration = .seconds(10)
    ) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        var records: [JSONValue] = []
        while ContinuousClock.now < deadline {
            records = try await history(server, as: admin, of: integrationId)
            if records.count >= count, records.allSatisfy({ $0["step"]?.stringValue != "pre-http-call" }) { return records }
            try await Task.sleep(for: .milliseconds(50))
        }
        return records
    }

    static func join(_ server: TestServer, _ user: TestUser, _ roomId: String) async throws {
        let response = try await server.post("/api/v1/channels.join", json: #"{"roomId":"\#(roomId)"}"#, as: user)
        #expect(response.status == .ok, "\(response.text)")
    }

    @Test func aJoinIsPostedAsRocketChatPostsItAndRecordedInHistory() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let joiner = try await server.createUser(roles: ["user"])
                let id = try await Self.createOutgoing(server, as: admin, event: "roomJoined", channel: "#\(room.name)", urls: [sink.url("/ok")])
                try await Self.join(server, joiner, room.id)

                let requests = await sink.waitForRequests(count: 1, timeout: .seconds(10))
                let request = try #require(requests.first)
                #expect(request.method == "POST")
                #expect(request.header("User-Agent") == WebhookClient.userAgent)
                #expect(request.header("Content-Type") == "application/json")
                let body = try JSONParser.parse(request.text)
                #expect(body.keys.prefix(7) == ["token", "bot", "timestamp", "channel_id", "channel_name", "user_id", "user_name"])
                #expect(body["token"] == .string("outgoing-token"))
                #expect(body["bot"] == .bool(false))
                #expect(body["channel_id"] == .string(room.id))
                #expect(body["channel_name"] == .string(room.name))
                #expect(body["user_id"] == .string(joiner.id))
                #expect(body["user_name"] == .string(joiner.username))
                #expect(body["user"]?["_id"] == .string(joiner.id))
                #expect(body["user"]?["services"] == nil)
                #expect(body["room"]?["_id"] == .string(room.id))
                let timestamp = try #require(body["timestamp"]?.stringValue)
                #expect(RocketChatDate.milliseconds(fromISO: timestamp) != nil && timestamp.hasSuffix("Z") && timestamp.count == 24)

                // Standard Webhooks headers, keyed by the integration's token.
                let webhookId = try #require(request.header("webhook-id"))
                let signedAt = try #require(request.header("webhook-timestamp").flatMap { Int64($0) })
                let signature = try #require(request.header("webhook-signature"))
                #expect(
                    WebhookSignature.verify(
                        header: signature,
                        id: webhookId,
                        timestamp: signedAt,
                        body: request.body,
                        key: Array("outgoing-token".utf8)
                    )
                )
                #expect(abs(Int64(Date().timeIntervalSince1970) - signedAt) < 60)

                let records = try await Self.settledHistory(server, as: admin, of: id, count: 1)
                let record = try #require(records.first)
                #expect(records.count == 1)
                #expect(record["type"] == .string("outgoing-webhook"))
                #expect(record["step"] == .string("after-http-call"))
                #expect(record["event"] == .string("roomJoined"))
                #expect(record["url"] == .string(sink.url("/ok")))
                #expect(record["httpResult"] == .string(#""{\"ok\":true}""#))
                #expect(record["ranPrepareScript"] == .bool(true))
                #expect(record["integration"]?["_id"] == .string(id))
                #expect(record["integration"]?["event"] == .string("roomJoined"))
                #expect(try await server.sameJSON(try #require(record["data"]).text, request.text))
                #expect(try await server.sameJSON(try #require(record["httpCallData"]).text, request.text))
                #expect(record["finished"] == nil && record["error"] == nil)

                // integrations.history shows the same record.
                let listed = try await server.get("/api/v1/integrations.history?id=\(id)", as: admin)
                #expect(try JSONParser.parse(listed.text)["history"]?.arrayValue?.first?["_id"] == record["_id"])
            }
        }
    }

    @Test func onlyMatchingEnabledIntegrationsFireOncePerURL() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let other = try await server.createRoom()
                let joiner = try await server.createUser(roles: ["user"])
                let byName = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?by=name"), sink.url("/ok?by=name-2")]
                )
                let byId = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.id)",
                    urls: [sink.url("/ok?by=id")]
                )
                let everywhere = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "all_public_channels",
                    urls: [sink.url("/ok?by=all")]
                )
                let elsewhere = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(other.name)",
                    urls: [sink.url("/ok?by=other")]
                )
                let leaving = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomLeft",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?by=left")]
                )
                let disabled = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?by=disabled")],
                    extra: #","enabled":false"#
                )
                try await Self.join(server, joiner, room.id)
                // Joining again changes nothing and fires nothing.
                try await Self.join(server, joiner, room.id)

                // all_public_channels also hears the joins of the suite's other tests: count this room's only.
                func calls() -> [String] {
                    sink.requests.filter { (try? JSONParser.parse($0.text))?["channel_id"] == .string(room.id) }.map(\.path)
                }
                let deadline = ContinuousClock.now + .seconds(10)
                while calls().count < 4, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                try await Task.sleep(for: .milliseconds(500))
                #expect(calls().sorted() == ["/ok?by=all", "/ok?by=id", "/ok?by=name", "/ok?by=name-2"])
                for quiet in [elsewhere, leaving, disabled] {
                    #expect(try await Self.history(server, as: admin, of: quiet).isEmpty)
                }
                #expect(try await Self.settledHistory(server, as: admin, of: byName, count: 2).count == 2)
                #expect(try await Self.settledHistory(server, as: admin, of: byId, count: 1).count == 1)
                #expect(try await Self.history(server, as: admin, of: everywhere).contains { $0["data"]?["channel_id"] == .string(room.id) })
                _ = try await server.post(
                    "/api/v1/integrations.remove",
                    json: #"{"type":"webhook-outgoing","integrationId":"\#(everywhere)"}"#,
                    as: admin
                )

                let leave = try await server.post("/api/v1/channels.leave", json: #"{"roomId":"\#(room.id)"}"#, as: joiner)
                #expect(leave.status == .ok)
                while calls().count < 5, ContinuousClock.now < deadline + .seconds(5) { try await Task.sleep(for: .milliseconds(50)) }
                #expect(calls().last == "/ok?by=left")
            }
        }
    }

    @Test func failedCallsAreRetriedOnRocketChatsScheduleWithTheSameWebhookId() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let joiner = try await server.createUser(roles: ["user"])
                let id = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/status/404")],
                    extra: #","retryFailedCalls":true,"retryCount":2,"retryDelay":"powers-of-ten""#
                )
                try await Self.join(server, joiner, room.id)
                let calls = await sink.waitForRequests(count: 3, timeout: .seconds(10))
                #expect(calls.count == 3)
                guard calls.count == 3 else { return }
                // powers-of-ten: 100 ms, then 1 s.
                #expect(calls[1].arrival - calls[0].arrival >= .milliseconds(100))
                #expect(calls[2].arrival - calls[1].arrival >= .seconds(1))
                #expect(calls[2].arrival - calls[1].arrival < .seconds(5))
                #expect(Set(calls.compactMap { $0.header("webhook-id") }).count == 1)
                #expect(calls.map(\.text) == [calls[0].text, calls[0].text, calls[0].text])

                let records = try await Self.settledHistory(server, as: admin, of: id, count: 3)
                #expect(records.compactMap { $0["step"]?.stringValue } == ["too-many-retries", "going-to-retry-2", "going-to-retry-1"])
                #expect(records.allSatisfy { $0["error"] == .bool(true) && $0["httpResult"] == .string(#""{\"error\":\"status 404\"}""#) })
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.requests.count == 3)
            }
        }
    }

    @Test func rocketChatsAnswersToStatusesAndEmptyBodies() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let retrying = #","retryFailedCalls":true,"retryCount":1,"retryDelay":"powers-of-ten""#
                let cases: [(path: String, steps: [String], calls: Int)] = [
                    ("/status/500", ["after-process-http-status-500"], 1),
                    ("/status/500?empty=1", ["too-many-retries", "going-to-retry-1"], 2),
                    ("/empty200", ["too-many-retries", "going-to-retry-1"], 2),
                    ("/status/410?empty=1", ["too-many-retries", "going-to-retry-1"], 2),
                    ("/status/201", ["after-http-call"], 1),
                ]
                for testCase in cases {
                    let room = try await server.createRoom()
                    let joiner = try await server.createUser(roles: ["user"])
                    let id = try await Self.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [sink.url(testCase.path)],
                        extra: retrying
                    )
                    try await Self.join(server, joiner, room.id)
                    let records = try await Self.settledHistory(server, as: admin, of: id, count: testCase.steps.count)
                    #expect(records.compactMap { $0["step"]?.stringValue } == testCase.steps, "\(testCase.path)")
                    #expect(sink.requests.filter { $0.path == testCase.path }.count == testCase.calls, "\(testCase.path)")
                }
            }
        }
    }

    @Test func a410WithABodyDisablesTheIntegration() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let id = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/status/410")]
                )
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                let records = try await Self.settledHistory(server, as: admin, of: id, count: 1)
                #expect(records.first?["step"] == .string("after-process-http-status-410"))
                let integration = try JSONParser.parse(try await server.get("/api/v1/integrations.get?integrationId=\(id)", as: admin).text)
                #expect(integration["integration"]?["enabled"] == .bool(false))
                // Disabled: the next join calls nobody.
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                try await Task.sleep(for: .milliseconds(600))
                #expect(sink.requests.count == 1)
                #expect(try await Self.history(server, as: admin, of: id).count == 1)
            }
        }
    }

    @Test func networkFailuresTimeoutsAndOversizedRepliesAreRecordedAsHttpErrors() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run({ $0.totalTimeout = .milliseconds(800) }) { server, admin in
                // A port nothing listens on: the sink's, after it stopped.
                let closed = try await WebhookSink.start(host: "127.0.0.2")
                let closedURL = closed.url("/ok")
                await closed.shutdown()
                let cases: [(url: String, code: String)] = [
                    (closedURL, "ECONNREFUSED"),
                    (sink.url("/hang"), "ETIMEDOUT"),
                    (sink.url("/big?mb=11"), "ERR_RESPONSE_TOO_LARGE"),
                    (sink.url("/reset"), "ECONNRESET"),
                    // Headers at once, then a byte every 300 ms: the total timeout cuts the body too.
                    (sink.url("/trickle?ms=300"), "ETIMEDOUT"),
                ]
                for testCase in cases {
                    let room = try await server.createRoom()
                    let id = try await Self.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [testCase.url],
                        extra: #","retryFailedCalls":true,"retryCount":3,"retryDelay":"powers-of-ten""#
                    )
                    let started = ContinuousClock.now
                    try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                    let records = try await Self.settledHistory(server, as: admin, of: id, count: 1)
                    let record = try #require(records.first, "\(testCase.url)")
                    // Rocket.Chat's latest: recorded at after-http-call, not retried.
                    #expect(records.count == 1, "\(testCase.url)")
                    #expect(record["step"] == .string("after-http-call"), "\(testCase.url)")
                    #expect(record["httpResult"] == .string("null"), "\(testCase.url)")
                    #expect(record["httpError"]?["code"] == .string(testCase.code), "\(testCase.url): \(record["httpError"]?.text ?? "none")")
                    if testCase.code == "ETIMEDOUT" { #expect(ContinuousClock.now - started < .seconds(5)) }
                }
            }
        }
    }

    @Test func aHangingEndpointHoldsOnlyItsOwnCall() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let hanging = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/hang")]
                )
                _ = try await Self.createOutgoing(server, as: admin, event: "roomJoined", channel: "#\(room.name)", urls: [sink.url("/ok?beside")])
                let started = ContinuousClock.now
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                let deadline = started + .seconds(4)
                while !sink.requests.contains(where: { $0.path == "/ok?beside" }), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let beside = try #require(sink.requests.first { $0.path == "/ok?beside" })
                #expect(beside.arrival - started < .seconds(2))
                // Meanwhile the hanging call is in flight: its record shows pre-http-call and its URL.
                let record = try #require(try await Self.history(server, as: admin, of: hanging).first)
                #expect(record["step"] == .string("pre-http-call"))
                #expect(record["url"] == .string(sink.url("/hang")))
            }
        }
    }

    @Test func theAddressPolicyRefusesBeforeConnectingAndRedirectsAreNotFollowed() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { allowed in
            try await WebhookSink.run(host: "127.0.0.3") { refused in
                try await Self.run { server, admin in
                    let room = try await server.createRoom()
                    let direct = try await Self.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [refused.url("/ok")]
                    )
                    let target = refused.url("/ok").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let redirected = try await Self.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [allowed.url("/redirect?to=\(target)")]
                    )
                    try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                    let refusal = try #require(try await Self.settledHistory(server, as: admin, of: direct, count: 1).first)
                    #expect(refusal["step"] == .string("after-http-call"))
                    #expect(refusal["httpError"]?["code"] == .string("ERR_ADDRESS_REFUSED"))
                    #expect(refusal["httpError"]?["message"]?.stringValue?.contains("127.0.0.3") == true)
                    let redirect = try #require(try await Self.settledHistory(server, as: admin, of: redirected, count: 1).first)
                    #expect(redirect["step"] == .string("failed-and-not-configured-to-retry"))
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(refused.connectionCount == 0)
                    #expect(allowed.requests.count == 1)
                }
            }
        }
    }

    @Test func anIntegrationWithAScriptIsNotCalled() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let id = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok")],
                    extra: #","scriptEnabled":true,"script":"class Script { prepare_outgoing_request({ request }) { return request } }""#
                )
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                let record = try #require(try await Self.settledHistory(server, as: admin, of: id, count: 1).first)
                #expect(record["step"] == .string("execute-script-getting-script"))
                #expect(record["error"] == .bool(true))
                #expect(record["errorStack"]?.stringValue?.contains("not supported") == true)
                #expect(record["data"]?["channel_id"] == .string(room.id))
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.requests.isEmpty)
            }
        }
    }

    @Test func roomCreationArchivingAndNewUsersFire() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let created = try await Self.createOutgoing(server, as: admin, event: "roomCreated", urls: [sink.url("/ok?event=created")])
                let archived = try await Self.createOutgoing(server, as: admin, event: "roomArchived", urls: [sink.url("/ok?event=archived")])
                let users = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "userCreated",
                    urls: [sink.url("/ok?event=user")],
                    extra: ##","targetRoom":"#general""##
                )
                let name = "chan-\(RandomToken.id())"
                let room = try await server.post("/api/v1/channels.create", json: #"{"name":"\#(name)"}"#, as: admin)
                let roomId = try #require(try JSONParser.parse(room.text)["channel"]?["_id"]?.stringValue)
                let archive = try await server.post("/api/v1/channels.archive", json: #"{"roomId":"\#(roomId)"}"#, as: admin)
                #expect(archive.text == #"{"success":true}"#)
                let again = try await server.post("/api/v1/channels.archive", json: #"{"roomId":"\#(roomId)"}"#, as: admin)
                #expect(try JSONParser.parse(again.text)["error"] == .string("The channel, \(name), is archived [error-room-archived]"))
                let username = "new-\(RandomToken.id().lowercased())"
                let user = try await server.post(
                    "/api/v1/users.create",
                    json: #"{"username":"\#(username)","email":"\#(username)@example.com","name":"New","password":"pass-word-1"}"#,
                    as: admin
                )
                #expect(user.status == .ok, "\(user.text)")

                // Other tests of the suite create users and rooms on the same database: find this test's events.
                let deadline = ContinuousClock.now + .seconds(10)
                func body(_ event: String, _ isMine: (JSONValue) -> Bool) async throws -> JSONValue {
                    while ContinuousClock.now < deadline {
                        for request in sink.requests where request.path == "/ok?event=\(event)" {
                            if let body = try? JSONParser.parse(request.text), isMine(body) { return body }
                        }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    throw WebhookSink.Failure(description: "no \(event) delivery of this test arrived")
                }
                let creation = try await body("created") { $0["channel_id"] == .string(roomId) }
                #expect(creation.keys == ["token", "bot", "channel_id", "channel_name", "timestamp", "user_id", "user_name", "owner", "room"])
                #expect(creation["channel_name"] == .string(name))
                #expect(creation["owner"]?["_id"] == .string(admin.id))
                #expect(creation["timestamp"] == creation["room"]?["ts"])
                let archival = try await body("archived") { $0["channel_id"] == .string(roomId) }
                #expect(archival["channel_id"] == .string(roomId))
                #expect(archival["user_id"] == .string(admin.id))
                #expect(archival["room"]?["archived"] == .bool(true))
                let newUser = try await body("user") { $0["user_name"] == .string(username) }
                #expect(newUser.keys == ["token", "bot", "timestamp", "user_id", "user_name", "user"])
                #expect(newUser["user_name"] == .string(username))
                #expect(newUser["timestamp"] == newUser["user"]?["createdAt"])
                for id in [created, archived, users] {
                    #expect(try await Self.settledHistory(server, as: admin, of: id, count: 1).last?["step"] == .string("after-http-call"))
                }
            }
        }
    }

    @Test func replayDeliversTheRecordedPayloadAgain() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                let id = try await Self.createOutgoing(server, as: admin, event: "roomJoined", channel: "#\(room.name)", urls: [sink.url("/ok")])
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                let first = try #require(try await Self.settledHistory(server, as: admin, of: id, count: 1).first)
                let historyId = try #require(first["_id"]?.stringValue)

                let replay = try await server.post(
                    "/api/v1/integrations.replayOutgoing",
                    json: #"{"integrationId":"\#(id)","historyId":"\#(historyId)"}"#,
                    as: admin
                )
                #expect(replay.status == .ok)
                #expect(replay.text == #"{"success":true}"#)
                let calls = await sink.waitForRequests(count: 2, timeout: .seconds(10))
                #expect(calls.count == 2)
                if calls.count == 2 {
                    #expect(try await server.sameJSON(calls[0].text, calls[1].text))
                    #expect(calls[0].header("webhook-id") != calls[1].header("webhook-id"))
                }
                #expect(try await Self.settledHistory(server, as: admin, of: id, count: 2).count == 2)

                let unknownHistory = try await server.post(
                    "/api/v1/integrations.replayOutgoing",
                    json: #"{"integrationId":"\#(id)","historyId":"nope"}"#,
                    as: admin
                )
                #expect(unknownHistory.status == .badRequest)
                #expect(
                    try JSONParser.parse(unknownHistory.text)["error"] == .string("Invalid Integration History [error-invalid-integration-history]")
                )
                let unknownIntegration = try await server.post(
                    "/api/v1/integrations.replayOutgoing",
                    json: #"{"integrationId":"nope","historyId":"\#(historyId)"}"#,
                    as: admin
                )
                #expect(try JSONParser.parse(unknownIntegration.text)["error"] == .string("Invalid integration [error-invalid-integration]"))
                let missing = try await server.post("/api/v1/integrations.replayOutgoing", json: #"{"integrationId":"\#(id)"}"#, as: admin)
                #expect(try JSONParser.parse(missing.text)["error"] == .string("must have required property 'historyId' [invalid-params]"))
                let user = try await server.createUser(roles: ["user"])
                let forbidden = try await server.post(
                    "/api/v1/integrations.replayOutgoing",
                    json: #"{"integrationId":"\#(id)","historyId":"\#(historyId)"}"#,
                    as: user
                )
                #expect(forbidden.status == .forbidden)
            }
        }
    }

    @Test func retryAfterOfA429LengthensTheWait() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom()
                _ = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: [sink.url("/429?retry_after=1")],
                    extra: #","retryFailedCalls":true,"retryCount":1,"retryDelay":"powers-of-ten""#
                )
                try await Self.join(server, try await server.createUser(roles: ["user"]), room.id)
                let calls = await sink.waitForRequests(count: 2, timeout: .seconds(10))
                #expect(calls.count == 2)
                if calls.count == 2 { #expect(calls[1].arrival - calls[0].arrival >= .seconds(1)) }
            }
        }
    }
}

extension OutgoingWebhookTests {
    /// Deliveries written while no engine runs, then delivered by one: in a database of their own, where no
    /// other test's engine delivers them first, one test at a time.
    @Suite(.serialized) struct Durability {
        static let database = Task<String, any Error> {
            try await TestDatabase.migratedDatabase("outgoing_durability", besides: try await OutgoingWebhookTests.database.value)
        }

        @Test func deliveriesAreWrittenWithTheEventAndSurviveUntilAnEngineRuns() async throws {
            try await WebhookSink.run(host: "127.0.0.2") { sink in
                let conninfo = try await Self.database.value
                // No engine: the join's answer means the delivery is stored.
                let (id, admin, roomId) = try await TestServer.run(conninfo: conninfo) { server in
                    let admin = try await server.createUser(roles: ["admin"])
                    let room = try await server.createRoom()
                    let id = try await OutgoingWebhookTests.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [sink.url("/ok?stored")]
                    )
                    try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                    let stored = try await server.pool.withSession { session in
                        try session.execute(sql: "SELECT count(*) FROM outgoing_deliveries WHERE integration_id = $1", [id]).int(row: 0, column: 0)
                    }
                    #expect(stored == 1)
                    return (id, admin, room.id)
                }
                #expect(sink.requests.isEmpty)
                _ = roomId
                try await TestServer.run(conninfo: conninfo, delivering: OutgoingWebhookTests.settings()) { server in
                    let requests = await sink.waitForRequests(count: 1, timeout: .seconds(10))
                    #expect(requests.first?.path == "/ok?stored")
                    let records = try await OutgoingWebhookTests.settledHistory(server, as: admin, of: id, count: 1)
                    #expect(records.first?["step"] == .string("after-http-call"))
                    let left = try await server.pool.withSession { session in
                        try session.execute(sql: "SELECT count(*) FROM outgoing_deliveries WHERE integration_id = $1", [id]).int(row: 0, column: 0)
                    }
                    #expect(left == 0)
                }
            }
        }

        @Test func aWorkerThatLostItsLeaseCannotRecordItsResult() async throws {
            let conninfo = try await Self.database.value
            try await TestServer.run(conninfo: conninfo) { server in
                let admin = try await server.createUser(roles: ["admin"])
                let room = try await server.createRoom()
                let id = try await OutgoingWebhookTests.createOutgoing(
                    server,
                    as: admin,
                    event: "roomJoined",
                    channel: "#\(room.name)",
                    urls: ["http://127.0.0.2:9/fenced"]
                )
                try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                let deliveries = DeliveryRepository(pool: server.pool)
                // Worker A claims with a lease that is over at once; worker B takes the delivery over.
                let a = try #require(try await deliveries.claim(limit: 100, lease: .zero, owner: "a").first { $0.integrationId == id })
                let historyId = RandomToken.id()
                let record = #"{"_id":"\#(historyId)","type":"outgoing-webhook","step":"pre-http-call","integration":{"_id":"\#(id)"}}"#
                #expect(try await deliveries.begin([.init(delivery: a, history: (historyId, record), endsDelivery: false)]) == [a.id])
                let b = try #require(try await deliveries.claim(limit: 100, lease: .seconds(30), owner: "b").first { $0.id == a.id })
                #expect(b.leaseToken != a.leaseToken)
                #expect(b.abandonedHistoryId == historyId)
                // A's end writes nothing: the record stays at its step, the delivery stays B's.
                let finish = #"{"step":"after-http-call","finished":true}"#
                #expect(try await deliveries.complete([.init(delivery: a, historyId: historyId, historyPatch: finish, next: .finish)]).isEmpty)
                let state = try await server.pool.withSession { session in
                    (
                        try session.execute(sql: "SELECT doc ->> 'step' FROM integration_history WHERE id = $1", [historyId]).string(
                            row: 0,
                            column: 0
                        ),
                        try session.execute(sql: "SELECT lease_owner FROM outgoing_deliveries WHERE id = $1", [a.id]).string(row: 0, column: 0)
                    )
                }
                #expect(state.0 == "pre-http-call")
                #expect(state.1 == "b")
                #expect(
                    try await deliveries.complete([.init(delivery: b, historyId: historyId, historyPatch: finish, next: .finish)]) == [b.leaseToken]
                )
            }
        }

        @Test func aDeliveryWhoseWorkerDiedIsTakenOverWhenItsLeaseExpiresWithoutCountingATry() async throws {
            try await WebhookSink.run(host: "127.0.0.2") { sink in
                let conninfo = try await Self.database.value
                let (id, admin, abandoned, leaseSetAt) = try await TestServer.run(conninfo: conninfo) { server in
                    let admin = try await server.createUser(roles: ["admin"])
                    let room = try await server.createRoom()
                    let id = try await OutgoingWebhookTests.createOutgoing(
                        server,
                        as: admin,
                        event: "roomJoined",
                        channel: "#\(room.name)",
                        urls: [sink.url("/ok?taken-over")],
                        extra: #","retryFailedCalls":true,"retryCount":1,"retryDelay":"powers-of-ten""#
                    )
                    try await OutgoingWebhookTests.join(server, try await server.createUser(roles: ["user"]), room.id)
                    // A worker claimed it, recorded pre-http-call, and died: its lease runs out 1 s from now.
                    let abandoned = RandomToken.id()
                    try await server.pool.withSession { session in
                        _ = try session.execute(
                            sql: """
                                INSERT INTO integration_history (doc) VALUES (jsonb_build_object(
                                    '_id', $2::text, 'type', 'outgoing-webhook', 'step', 'pre-http-call', 'event', 'roomJoined',
                                    'integration', jsonb_build_object('_id', $1::text), '_createdAt', '2026-01-01T00:00:00.000Z',
                                    '_updatedAt', '2026-01-01T00:00:00.000Z'))
                                """,
                            [id, abandoned]
                        )
                        _ = try session.execute(
                            sql: """
                                UPDATE outgoing_deliveries SET lease_token = 'dead', lease_owner = 'dead-worker', history_id = $2,
                                    due_at = now() + interval '1 second'
                                WHERE integration_id = $1
                                """,
                            [id, abandoned]
                        )
                    }
                    return (id, admin, abandoned, ContinuousClock.now)
                }
                try await TestServer.run(conninfo: conninfo, delivering: OutgoingWebhookTests.settings()) { server in
                    let requests = await sink.waitForRequests(count: 1, timeout: .seconds(10))
                    #expect(requests.first?.path == "/ok?taken-over")
                    // Not before the dead worker's lease ran out (1 s after it was set).
                    if let arrival = requests.first?.arrival { #expect(arrival - leaseSetAt >= .milliseconds(900)) }
                    var records: [JSONValue] = []
                    for _ in 0..<100 where !records.contains(where: { $0["step"] == .string("after-http-call") }) {
                        records = try await OutgoingWebhookTests.history(server, as: admin, of: id)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    // The abandoned record stays at its last step; the new attempt is a record of its own, attempt 1 still.
                    #expect(records.first { $0["_id"] == .string(abandoned) }?["step"] == .string("pre-http-call"))
                    #expect(records.contains { $0["step"] == .string("after-http-call") })
                }
            }
        }
    }
}

extension OutgoingWebhookTests {
    static func post(_ server: TestServer, _ user: TestUser, _ body: String) async throws -> JSONValue {
        let response = try await server.post("/api/v1/chat.postMessage", json: body, as: user)
        #expect(response.status == .ok, "\(response.text)")
        return try JSONParser.parse(response.text)
    }

    /// Waits until `count` requests arrived whose body's `channel_id` is `roomId` (bounded); returns them.
    static func calls(to sink: WebhookSink, in roomId: String, count: Int, timeout: Duration = .seconds(10)) async throws -> [WebhookSink.Recorded] {
        let deadline = ContinuousClock.now + timeout
        func mine() -> [WebhookSink.Recorded] {
            sink.requests.filter { (try? JSONParser.parse($0.text))?["channel_id"] == .string(roomId) }
        }
        while mine().count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return mine()
    }

    @Test func aMessageWithATriggerWordIsPostedAsRocketChatsExample() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                let id = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok")],
                    extra: #","triggerWords":["!guggy","!gif"]"#
                )
                let anywhere = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?anywhere")],
                    extra: #","triggerWords":["cats"],"triggerWordAnywhere":true"#
                )
                _ = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"no trigger here"}"#)
                let posted = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"!guggy cats"}"#)
                let message = try #require(posted["message"])

                let calls = try await Self.calls(to: sink, in: room.id, count: 2)
                let call = try #require(calls.first { $0.path == "/ok" })
                let body = try JSONParser.parse(call.text)
                #expect(
                    body.keys == [
                        "token", "bot", "trigger_word", "channel_id", "channel_name", "message_id", "timestamp", "user_id", "user_name", "text",
                        "siteUrl",
                    ]
                )
                #expect(body["trigger_word"] == .string("!guggy"))
                #expect(body["channel_name"] == .string(room.name))
                #expect(body["message_id"] == message["_id"])
                #expect(body["timestamp"] == message["ts"])
                #expect(body["user_id"] == .string(admin.id))
                #expect(body["user_name"] == .string(admin.username))
                #expect(body["text"] == .string("!guggy cats"))
                #expect(body["siteUrl"] == .string("https://chat.example"))
                #expect(try JSONParser.parse(try #require(calls.first { $0.path == "/ok?anywhere" }).text)["trigger_word"] == .string("cats"))
                try await Task.sleep(for: .milliseconds(400))
                // "no trigger here" matched neither: no call, no history.
                #expect(try await Self.calls(to: sink, in: room.id, count: 2).count == 2)
                let records = try await Self.settledHistory(server, as: admin, of: id, count: 1)
                #expect(records.count == 1)
                #expect(records.first?["triggerWord"] == .string("!guggy"))
                #expect(try await Self.settledHistory(server, as: admin, of: anywhere, count: 1).count == 1)
            }
        }
    }

    @Test func textWithQuotesBeforeCombiningMarksIsDelivered() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                _ = try await Self.createOutgoing(server, as: admin, event: "sendMessage", channel: "#\(room.name)", urls: [sink.url("/ok")])
                let text = "\u{301}\"\u{301}quoted\\\u{301} \u{1F469}\u{200D}\u{1F4BB}"
                _ = try await Self.post(server, admin, "{\"roomId\":\"\(room.id)\",\"text\":\(JSONValue.string(text).text)}")
                let calls = try await Self.calls(to: sink, in: room.id, count: 1)
                #expect(try JSONParser.parse(try #require(calls.first).text)["text"] == .string(text))
            }
        }
    }

    @Test func aReplyWithTextIsPostedIntoTheRoomAsTheIntegrationAndDoesNotTriggerItAgain() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                let id = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "#\(room.name)",
                    urls: [sink.url("/text")],
                    extra: #","alias":"Guggy","emoji":":ghost:""#
                )
                _ = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"hello"}"#)
                let records = try await Self.settledHistory(server, as: admin, of: id, count: 1)
                let record = try #require(records.first)
                #expect(record["step"] == .string("url-response-sent-message"))
                #expect(record["finished"] == .bool(true))
                let result = try #require(record["resultMessage"]?.arrayValue?.first)
                #expect(result["channel"] == .string("#\(room.id)"))
                let reply = try #require(result["message"])
                #expect(reply["msg"] == .string("hi from the sink"))
                #expect(reply["rid"] == .string(room.id))
                #expect(reply["u"]?["username"] == .string("rocket.cat"))
                #expect(reply["bot"] == .object([("i", .string(id))]))
                #expect(reply["alias"] == .string("Guggy"))
                #expect(reply["emoji"] == .string(":ghost:"))
                let stored = try await server.pool.withSession { session in
                    try session.execute(sql: "SELECT count(*) FROM messages WHERE rid = $1 AND bot ->> 'i' = $2", [room.id, id]).int(
                        row: 0,
                        column: 0
                    )
                }
                #expect(stored == 1)
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await Self.calls(to: sink, in: room.id, count: 1).count == 1)
            }
        }
    }

    @Test func twoIntegrationsAnsweringEachOtherStopAfterThreeReplies() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                for name in ["a", "b"] {
                    _ = try await Self.createOutgoing(
                        server,
                        as: admin,
                        event: "sendMessage",
                        channel: "#\(room.name)",
                        urls: [sink.url("/text?\(name)")]
                    )
                }
                _ = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"ping"}"#)
                // The message fires both; each reply fires the other integration, down to the third reply.
                let calls = try await Self.calls(to: sink, in: room.id, count: 6)
                try await Task.sleep(for: .milliseconds(800))
                #expect(calls.count == 6)
                #expect(try await Self.calls(to: sink, in: room.id, count: 7, timeout: .milliseconds(10)).count == 6)
            }
        }
    }

    @Test func anIncomingHooksMessageFiresTheOutgoingIntegrationsOfItsRoom() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                let outgoing = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?from-hook")],
                    extra: #","triggerWords":["!deploy"]"#
                )
                let hook = try await IncomingHookTests.createHook(server, poster: admin, channels: ["#\(room.name)"])
                let answer = try await IncomingHookTests.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"!deploy now"}"#)
                #expect(answer.status == .ok)
                _ = try await IncomingHookTests.post(server, "/hooks/\(hook.id)/\(hook.token)", body: #"{"text":"no trigger word"}"#)
                let calls = try await Self.calls(to: sink, in: room.id, count: 1)
                try #require(calls.count == 1)
                let payload = try JSONParser.parse(calls[0].text)
                #expect(payload["text"]?.stringValue == "!deploy now")
                #expect(payload["trigger_word"]?.stringValue == "!deploy")
                #expect(payload["user_name"]?.stringValue == admin.username)
                #expect(payload["bot"]?["i"]?.stringValue == hook.id)
                #expect(calls[0].headers.first(name: "X-Integrations-Hops") == "1")
                let history = try await Self.settledHistory(server, as: admin, of: outgoing, count: 1)
                #expect(history.first?["step"]?.stringValue == "after-http-call")
                #expect(try await Self.calls(to: sink, in: room.id, count: 2, timeout: .milliseconds(300)).count == 1)
            }
        }
    }

    @Test func anOutgoingIntegrationCallingAnIncomingHookOfThisServiceStops() async throws {
        try await Self.run { server, admin in
            let room = try await server.createRoom(members: [admin])
            let hook = try await IncomingHookTests.createHook(server, poster: admin, channels: ["#\(room.name)"])
            // The outgoing integration posts each message of the room back into it through the hook.
            _ = try await Self.createOutgoing(
                server,
                as: admin,
                event: "sendMessage",
                channel: "#\(room.name)",
                urls: ["http://127.0.0.1:\(server.client.port)/hooks/\(hook.id)/\(hook.token)"]
            )
            _ = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"echo"}"#)
            // The message, and the hook's messages one, two and three hops deep; the third fires nothing.
            let deadline = ContinuousClock.now + .seconds(10)
            var count = 0
            while count < 4, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                count = try await IncomingHookTests.messages(server, in: room.id).count
            }
            try await Task.sleep(for: .milliseconds(800))
            #expect(try await IncomingHookTests.messages(server, in: room.id).map(\.msg) == ["echo", "echo", "echo", "echo"])
        }
    }

    @Test func editsFireOnlyIntegrationsThatRunOnEdits() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let room = try await server.createRoom(members: [admin])
                _ = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "#\(room.name)",
                    urls: [sink.url("/ok?edits")],
                    extra: #","runOnEdits":true"#
                )
                _ = try await Self.createOutgoing(server, as: admin, event: "sendMessage", channel: "#\(room.name)", urls: [sink.url("/ok?plain")])
                let posted = try await Self.post(server, admin, #"{"roomId":"\#(room.id)","text":"first"}"#)
                let messageId = try #require(posted["message"]?["_id"]?.stringValue)
                _ = try await Self.calls(to: sink, in: room.id, count: 2)
                let edit = try await server.post(
                    "/api/v1/chat.update",
                    json: #"{"roomId":"\#(room.id)","msgId":"\#(messageId)","text":"second"}"#,
                    as: admin
                )
                #expect(edit.status == .ok, "\(edit.text)")
                let calls = try await Self.calls(to: sink, in: room.id, count: 3)
                try await Task.sleep(for: .milliseconds(400))
                #expect(calls.count == 3)
                let edited = try JSONParser.parse(try #require(calls.last).text)
                #expect(calls.last?.path == "/ok?edits")
                #expect(edited["isEdited"] == .bool(true))
                #expect(edited["text"] == .string("second"))
                #expect(edited["message_id"] == .string(messageId))
            }
        }
    }

    @Test func aDirectMessageFiresTheDirectMessageBucketsWithoutAChannelName() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { sink in
            try await Self.run { server, admin in
                let friend = try await server.createUser(roles: ["user"])
                _ = try await Self.createOutgoing(
                    server,
                    as: admin,
                    event: "sendMessage",
                    channel: "@\(friend.username)",
                    urls: [sink.url("/ok?friend")]
                )
                let posted = try await Self.post(server, admin, #"{"channel":"@\#(friend.username)","text":"psst"}"#)
                let roomId = try #require(posted["message"]?["rid"]?.stringValue)
                let calls = try await Self.calls(to: sink, in: roomId, count: 1)
                let body = try JSONParser.parse(try #require(calls.first).text)
                #expect(calls.first?.path == "/ok?friend")
                #expect(body["channel_name"] == nil)
                #expect(body["text"] == .string("psst"))
            }
        }
    }
}

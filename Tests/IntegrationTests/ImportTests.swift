import Foundation
import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import IntegrationsServer
import IntegrationsStore
import Testing

/// `integrations import` of mongoexport files: conversion, idempotence, bad records, and the REST API
/// answering the imported documents as Rocket.Chat did.
@Suite struct ImportTests {
    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The API page's example history record, as `mongoexport` (relaxed Extended JSON) writes it.
    static func history(id: String, integrationId: String, userId: String) -> String {
        #"{"_id":"\#(id)","type":"outgoing-webhook","step":"after-http-call","integration":{"_id":"\#(integrationId)","event":"roomJoined","enabled":true,"username":"rocket.cat","channel":["\#u{23}general"],"name":"testeytyrtyrtyrtyer","triggerWords":["!webhhok"],"urls":["http://localhost:3000/admin/integrations/outgoing"],"_createdBy":{"_id":"\#(userId)","username":"dsds"}},"event":"roomJoined","_createdAt":{"$date":"2019-11-29T14:15:27.518Z"},"_updatedAt":{"$date":{"$numberLong":"1575036927606"}},"data":{"token":"xMxa3o95xzJSpbyEjz4Z72LJ","bot":false,"timestamp":{"$date":"2019-11-29T14:15:27.522Z"},"channel_id":"GENERAL","channel_name":"general","user_id":"8pdja8tTb2s2XbvkQ","user_name":"dsds","user":{"_id":"8pdja8tTb2s2XbvkQ","createdAt":{"$date":"2019-11-29T14:14:36.936Z"},"username":"dsds","emails":[{"address":"ddsds@d.com","verified":false}],"type":"user","status":"offline","active":true,"_updatedAt":{"$date":"2019-11-29T14:15:15.677Z"},"roles":["user"],"name":"dsdsds","requirePasswordChange":true,"settings":{}},"room":{"_id":"GENERAL","ts":{"$date":"2019-10-17T22:56:31.861Z"},"t":"c","name":"general","usernames":[],"msgs":{"$numberInt":"125"},"usersCount":45,"default":true,"_updatedAt":{"$date":"2019-11-29T14:13:14.752Z"},"lastMessage":{"_id":"6CiNGq8FPEYCfceNL","rid":"GENERAL","msg":"!webhook","ts":{"$date":"2019-11-29T14:13:14.645Z"},"u":{"_id":"CaevAPDbXN252kyXa","username":"marcos.defendi","name":"Marcos Defendi"},"_updatedAt":{"$date":"2019-11-29T14:13:14.705Z"},"mentions":[],"channels":[]},"lm":{"$date":"2019-11-29T14:13:14.645Z"},"jitsiTimeout":{"$date":"2019-10-22T19:20:28.404Z"}},"amount":{"$numberDecimal":"1.50"}},"url":"http://localhost:3000/admin/integrations/outgoing"}"#
    }

    /// The same record as Rocket.Chat's REST API shows it.
    static func historyAsShown(id: String, integrationId: String, userId: String) -> String {
        #"{"_id":"\#(id)","type":"outgoing-webhook","step":"after-http-call","integration":{"_id":"\#(integrationId)","event":"roomJoined","enabled":true,"username":"rocket.cat","channel":["\#u{23}general"],"name":"testeytyrtyrtyrtyer","triggerWords":["!webhhok"],"urls":["http://localhost:3000/admin/integrations/outgoing"],"_createdBy":{"_id":"\#(userId)","username":"dsds"}},"event":"roomJoined","_createdAt":"2019-11-29T14:15:27.518Z","_updatedAt":"2019-11-29T14:15:27.606Z","data":{"token":"xMxa3o95xzJSpbyEjz4Z72LJ","bot":false,"timestamp":"2019-11-29T14:15:27.522Z","channel_id":"GENERAL","channel_name":"general","user_id":"8pdja8tTb2s2XbvkQ","user_name":"dsds","user":{"_id":"8pdja8tTb2s2XbvkQ","createdAt":"2019-11-29T14:14:36.936Z","username":"dsds","emails":[{"address":"ddsds@d.com","verified":false}],"type":"user","status":"offline","active":true,"_updatedAt":"2019-11-29T14:15:15.677Z","roles":["user"],"name":"dsdsds","requirePasswordChange":true,"settings":{}},"room":{"_id":"GENERAL","ts":"2019-10-17T22:56:31.861Z","t":"c","name":"general","usernames":[],"msgs":125,"usersCount":45,"default":true,"_updatedAt":"2019-11-29T14:13:14.752Z","lastMessage":{"_id":"6CiNGq8FPEYCfceNL","rid":"GENERAL","msg":"!webhook","ts":"2019-11-29T14:13:14.645Z","u":{"_id":"CaevAPDbXN252kyXa","username":"marcos.defendi","name":"Marcos Defendi"},"_updatedAt":"2019-11-29T14:13:14.705Z","mentions":[],"channels":[]},"lm":"2019-11-29T14:13:14.645Z","jitsiTimeout":"2019-10-22T19:20:28.404Z"},"amount":1.50},"url":"http://localhost:3000/admin/integrations/outgoing"}"#
    }

    @Test func importedRocketChatDataIsServedAsRocketChatServedIt() async throws {
        try await TestServer.run { server in
            let userId = RandomToken.id()
            let username = "imported-\(userId.lowercased())"
            let integrationId = RandomToken.id()
            let historyId = RandomToken.id()
            let token = LoginToken.generate()
            let bcrypt = try PasswordHasher(cost: 4).hash(password: "imported-password")
            let users = try Self.file(
                #"{"_id":"\#(userId)","createdAt":{"$date":"2019-11-29T14:14:36.936Z"},"services":{"password":{"bcrypt":"\#(bcrypt)"},"resume":{"loginTokens":[{"when":{"$date":"2024-01-10T14:12:52.201Z"},"hashedToken":"\#(LoginToken.hash(token))"}]}},"username":"\#(username)","emails":[{"address":"\#(username)@example.com","verified":true}],"type":"user","status":"offline","active":true,"_updatedAt":{"$date":"2019-11-29T14:15:15.677Z"},"roles":["user","admin"],"name":"Imported"}"#
            )
            let integrations = try Self.file(
                #"[{"_id":{"$oid":"\#(integrationId)"},"type":"webhook-outgoing","name":"imported","enabled":true,"event":"roomJoined","username":"rocket.cat","channel":["\#u{23}general"],"urls":["http://localhost:3000/admin/integrations/outgoing"],"retryCount":{"$numberInt":"4"},"_createdAt":{"$date":"2019-11-29T14:15:00.000Z"},"_createdBy":{"_id":"\#(userId)","username":"\#(username)"},"_updatedAt":{"$date":"2019-11-29T14:15:00.000Z"},"someFieldWeDoNotKnow":{"nested":[1,2]}}]"#
            )
            let history = try Self.file(Self.history(id: historyId, integrationId: integrationId, userId: userId) + "\n")
            let importer = Importer(repository: ImportRepository(pool: server.pool), logger: TestDatabase.logger)
            let options = Importer.Options(files: [(.history, history), (.integrations, integrations), (.users, users)], dryRun: false)
            let first = try await importer.run(options)
            #expect(first.problems.isEmpty, "\(first.problems)")
            #expect(first.imported == [.users: 1, .integrations: 1, .history: 1])

            // The imported password and the imported login token both work.
            #expect(try await server.post("/api/v1/login", json: #"{"user":"\#(username)","password":"imported-password"}"#).status == .ok)
            let imported = TestUser(id: userId, username: username, token: token, password: "imported-password")
            let got = try await server.get("/api/v1/integrations.get?integrationId=\(integrationId)&historyCount=1", as: imported)
            #expect(got.status == .ok)
            #expect(try await server.extract("-> 'integration' ->> 'retryCount'", from: got.text) == "4")
            #expect(try await server.extract("-> 'integration' -> 'someFieldWeDoNotKnow'", from: got.text) == #"{"nested": [1, 2]}"#)
            let shown = try #require(try await server.extract("-> 'history' -> 0", from: got.text))
            #expect(try await server.sameJSON(shown, Self.historyAsShown(id: historyId, integrationId: integrationId, userId: userId)))
            #expect(shown.contains("\"amount\": 1.50"))
            let listed = try await server.get("/api/v1/integrations.list?name=imported", as: imported)
            #expect(try await IntegrationsListTests.ids(listed, server).contains(integrationId))
            let historyPage = try await server.get("/api/v1/integrations.history?id=\(integrationId)", as: imported)
            #expect(try await IntegrationsListTests.ids(historyPage, server, key: "history") == [historyId])

            // Importing the same files again changes nothing.
            let second = try await importer.run(options)
            #expect(second.problems.isEmpty)
            let again = try await server.get("/api/v1/integrations.history?id=\(integrationId)", as: imported)
            #expect(try await server.extract("->> 'total'", from: again.text) == "1")
        }
    }

    @Test func badRecordsAreReportedAndSkipped() async throws {
        try await TestServer.run { server in
            let integrationId = RandomToken.id()
            let good = { (id: String) in
                #"{"_id":"\#(id)","integration":{"_id":"\#(integrationId)"},"_updatedAt":{"$date":"2024-01-01T00:00:00.000Z"}}"#
            }
            let lines = [
                good("g1"),
                #"{"_id":"nul-\#(integrationId)","integration":{"_id":"\#(integrationId)"},"data":"a\u0000b"}"#,
                #"{"_id":"noparent-\#(integrationId)"}"#,
                #"{"_id":"baddate-\#(integrationId)","integration":{"_id":"\#(integrationId)"},"_updatedAt":{"$date":"someday"}}"#,
                #"{"_id":"broken-\#(integrationId)","integration":{"_id":"\#(integrationId)"},"x":tru}"#,
                good("g2"),
            ].map {
                $0.replacingOccurrences(of: "\"g1\"", with: "\"g1-\(integrationId)\"").replacingOccurrences(
                    of: "\"g2\"",
                    with: "\"g2-\(integrationId)\""
                )
            }
            let path = try Self.file(lines.joined(separator: "\n"))
            let importer = Importer(repository: ImportRepository(pool: server.pool), logger: TestDatabase.logger)
            let dry = try await importer.run(.init(files: [(.history, path)], dryRun: true))
            let summary = try await importer.run(.init(files: [(.history, path)], dryRun: false, batchSize: 2))
            for result in [dry, summary] {
                #expect(result.imported[.history] == 2)
                #expect(result.problems.map(\.line) == [2, 3, 4, 5])
                #expect(
                    result.problems.map(\.id) == [
                        "nul-\(integrationId)", "noparent-\(integrationId)", "baddate-\(integrationId)", "broken-\(integrationId)",
                    ]
                )
                #expect(result.problems[0].reason.contains("\\u0000"))
            }
            let admin = try await server.createUser(roles: ["admin"])
            let history = try await server.get("/api/v1/integrations.history?id=\(integrationId)", as: admin)
            #expect(try await server.extract("->> 'total'", from: history.text) == "2")
        }
    }

    @Test func dryRunWritesNothing() async throws {
        try await TestServer.run { server in
            let integrationId = RandomToken.id()
            let path = try Self.file(#"{"_id":"\#(integrationId)","type":"webhook-incoming","name":"dry","_createdBy":{"_id":"x"}}"#)
            let summary = try await Importer(repository: nil, logger: TestDatabase.logger).run(.init(files: [(.integrations, path)], dryRun: true))
            #expect(summary.imported[.integrations] == 1)
            let admin = try await server.createUser(roles: ["admin"])
            let got = try await server.get("/api/v1/integrations.get?integrationId=\(integrationId)", as: admin)
            #expect(got.text.contains("does not exists"))
        }
    }
}

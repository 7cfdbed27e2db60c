import HTTPTypes
import HummingbirdTesting
import IntegrationsCore
import NIOCore
import Testing

/// Rocket.Chat authenticates a request before it validates it: an invalid request with wrong credentials is a
/// 401, the same request with right credentials the route's 400.
@Suite struct ValidationOrderTests {
    static let invalidRequests: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/v1/integrations.get", nil),
        (.get, "/api/v1/integrations.list?bogus=1", nil),
        (.get, "/api/v1/integrations.history", nil),
        (.post, "/api/v1/integrations.create", #"{"type":"webhook-incoming"}"#),
        (.put, "/api/v1/integrations.update", #"{"type":"webhook-incoming"}"#),
        (.post, "/api/v1/integrations.remove", #"{"type":"webhook-incoming"}"#),
        (.post, "/api/v1/integrations.clearHistory", "{}"),
        (.post, "/api/v1/users.create", "{}"),
        (.get, "/api/v1/users.info", nil),
        (.post, "/api/v1/users.delete", "{}"),
        (.post, "/api/v1/users.generatePersonalAccessToken", "{}"),
        (.post, "/api/v1/users.removePersonalAccessToken", "{}"),
        (.post, "/api/v1/channels.create", "{}"),
        (.post, "/api/v1/groups.create", "{}"),
        (.get, "/api/v1/channels.info", nil),
        (.post, "/api/v1/channels.join", "{}"),
        (.post, "/api/v1/channels.leave", "{}"),
        (.get, "/api/v1/permissions.listAll?updatedSince=yesterday", nil),
        (.post, "/api/v1/permissions.update", "{}"),
        (.post, "/api/v1/chat.postMessage", "{}"),
        (.post, "/api/v1/chat.update", "{}"),
        // JSON that is not the object a route expects is the route's rule too, checked after the credentials.
        (.post, "/api/v1/integrations.create", "[]"), (.post, "/api/v1/users.create", "1"), (.post, "/api/v1/channels.join", "null"),
        (.post, "/api/v1/permissions.update", #""text""#), (.post, "/api/v1/chat.postMessage", "[]"),
    ]

    @Test func invalidRequestsAreAnswered401WithWrongCredentialsAnd400WithRightOnes() async throws {
        try await TestServer.run { server in
            let admin = try await server.createUser(roles: ["admin"])
            for (method, uri, body) in Self.invalidRequests {
                for user in [admin.withWrongToken, admin] {
                    var headers: HTTPFields = [HTTPField.Name("X-User-Id")!: user.id, HTTPField.Name("X-Auth-Token")!: user.token]
                    if body != nil { headers[.contentType] = "application/json" }
                    let response = try await server.client.execute(
                        uri: uri,
                        method: method,
                        headers: headers,
                        body: body.map { ByteBuffer(string: $0) }
                    )
                    if user.token == admin.token {
                        #expect(response.status == .badRequest, "\(method) \(uri): \(response.text)")
                    } else {
                        #expect(response.status == .unauthorized, "\(method) \(uri): \(response.text)")
                        #expect(try await server.extract("->> 'error'", from: response.text) == "You must be logged in to do this.", "\(uri)")
                    }
                }
            }
        }
    }
}

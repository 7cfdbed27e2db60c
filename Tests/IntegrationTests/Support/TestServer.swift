import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntegrationsCore
import IntegrationsDelivery
import IntegrationsServer
import IntegrationsStore
import LibPQ
import NIOCore
import ServiceLifecycle

/// A running service over the shared test database, reached through a real socket, plus fixtures
/// that write through the data layer.
struct TestServer: Sendable {
    let pool: ConnectionPool
    let client: LiveClient

    /// Starts the HTTP server (the same ``HTTPServer`` a worker runs) on a free loopback port over a fresh pool,
    /// runs `body` with a keep-alive client, then drains the server and closes the pool.
    ///
    /// With `notifying` (and no engine), writes that enqueue deliveries NOTIFY the engines of other processes.
    /// With `delivering`, the server's process also runs the outgoing-webhook engine with these settings, its
    /// host names resolved by ``LoopbackResolver`` (no DNS) and, whatever the settings say, only loopback
    /// addresses reachable.
    static func run<R: Sendable>(
        conninfo: String? = nil,
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        delivering: DeliverySettings? = nil,
        notifying: Bool = false,
        _ body: @Sendable (TestServer) async throws -> R
    ) async throws -> R {
        var configuration = TestDatabase.configuration()
        configure(&configuration)
        let database: String
        if let conninfo { database = conninfo } else { database = try await TestDatabase.conninfo() }
        let pool = DatabaseSetup.makePool(configuration, conninfo: database, logger: TestDatabase.logger)
        pool.start()
        defer { pool.shutdown() }
        await warmUp(pool)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        // The engine has a pool of its own, as in a worker.
        let deliveryPool = delivering.map { _ in DatabaseSetup.makeDeliveryPool(configuration, conninfo: database, logger: TestDatabase.logger) }
        deliveryPool?.start()
        defer { deliveryPool?.shutdown() }
        let engine = delivering.map { settings in
            var settings = settings
            settings.onlyAllowedAddresses = true
            settings.resolvesHostNames = false
            settings.addressPolicy.allowed = settings.addressPolicy.allowed.filter { $0.prefixLength >= 8 && Self.loopback.contains($0.network) }
            return DeliveryEngine(
                deliveries: DeliveryRepository(pool: deliveryPool ?? pool),
                messages: MessageRepository(pool: pool),
                client: WebhookClient(settings: settings, resolver: LoopbackResolver(), logger: TestDatabase.logger),
                settings: settings,
                owner: "tests-\(RandomToken.id())",
                logger: TestDatabase.logger
            )
        }
        let server = HTTPServer(
            serviceConfiguration: configuration,
            pool: pool,
            listener: .address(host: "127.0.0.1", port: 0),
            deliverySignal: engine?.signal ?? (notifying ? Self.notifier(pool) : .none),
            logger: TestDatabase.logger
        ) { port in
            portSink.yield(port)
        }
        let services = ServiceGroup(configuration: .init(services: (engine.map { [$0] } ?? []) + [server], logger: TestDatabase.logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20)))
            client.connect()
            do {
                let value = try await body(TestServer(pool: pool, client: LiveClient(client: client, port: port)))
                try await client.shutdown()
                await services.triggerGracefulShutdown()
                return value
            } catch {
                try? await client.shutdown()
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// A signal that only tells other processes' engines (PostgreSQL's NOTIFY), as a worker's does.
    private static func notifier(_ pool: ConnectionPool) -> DeliverySignal {
        let notifier = DeliveryNotifier(deliveries: DeliveryRepository(pool: pool), logger: TestDatabase.logger)
        return DeliverySignal { notifier.notifyOthers() }
    }

    /// 127.0.0.0/8: the only addresses a test's engine may call.
    static let loopback = CIDR("127.0.0.0/8")!

    /// Waits for the pool's first connection (each try bounded by the acquire timeout), so that a test's first
    /// request does not also measure how long a busy machine takes to open it.
    private static func warmUp(_ pool: ConnectionPool) async {
        for _ in 0..<3 {
            if (try? await pool.withSession({ try $0.execute(sql: "SELECT 1", []) })) != nil { return }
        }
    }

    // MARK: Requests

    func get(_ uri: String, as user: TestUser? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let user {
            headers[HTTPField.Name("X-User-Id")!] = user.id
            headers[HTTPField.Name("X-Auth-Token")!] = user.token
        }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, json: String, as user: TestUser? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let user {
            headers[HTTPField.Name("X-User-Id")!] = user.id
            headers[HTTPField.Name("X-Auth-Token")!] = user.token
        }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    // MARK: Fixtures

    /// A user with the given roles, a known password and a login token, written through the data layer.
    func createUser(roles: [String], password: String = "secret-password") async throws -> TestUser {
        let id = RandomToken.id()
        let username = "user-\(id.lowercased())"
        try await UserRepository(pool: pool).insert(
            .init(
                id: id,
                username: username,
                email: "\(username)@example.com",
                name: "Test \(id)",
                passwordHash: try PasswordHasher(cost: 4).hash(password: password),
                roles: roles
            )
        )
        let token = LoginToken.generate()
        _ = try await UserRepository(pool: pool).addLoginToken(userId: id, hashedToken: LoginToken.hash(token))
        return TestUser(id: id, username: username, token: token, password: password)
    }

    /// A role of its own (so tests do not disturb each other) granted the given permissions.
    func createRole(permissions: [String]) async throws -> String {
        let role = "role-\(RandomToken.id())"
        try await pool.withSession { session in
            for permission in permissions {
                _ = try session.execute(
                    sql: "UPDATE permissions SET roles = array_append(roles, $1) WHERE id = $2",
                    [role, permission]
                )
            }
        }
        return role
    }

    /// A public room the given users are members of (Rocket.Chat's `c` type), written directly.
    func createRoom(members: [TestUser] = []) async throws -> (id: String, name: String) {
        let id = RandomToken.id()
        let name = "room-\(id.lowercased())"
        let memberIds = members.map(\.id)
        try await pool.withSession { session in
            _ = try session.execute(sql: "INSERT INTO rooms (id, name, type) VALUES ($1, $2, 'c')", [id, name])
            for member in memberIds {
                _ = try session.execute(sql: "INSERT INTO subscriptions (room_id, user_id) VALUES ($1, $2)", [id, member])
            }
        }
        return (id, name)
    }

    /// The roles of a user, from the database.
    func roles(of userId: String) async throws -> [String] {
        try await pool.withSession { session in
            let text = try session.execute(sql: "SELECT array_to_string(roles, ',') FROM users WHERE id = $1", [userId]).string(row: 0, column: 0)
            return (text ?? "").split(separator: ",").map(String.init)
        }
    }

    /// Inserts an integration document through the repository `integrations.create` will use.
    @discardableResult
    func createIntegration(type: String, createdBy user: TestUser, name: String? = nil, extra: String = "") async throws -> String {
        let id = RandomToken.id()
        let document = """
            {"_id":"\(id)","type":"\(type)","name":"\(name ?? "integration \(id)")","enabled":true,"username":"rocket.cat",\
            "channel":["#general"],"scriptEnabled":false,"_createdAt":"2024-01-10T14:12:52.201Z",\
            "_createdBy":{"_id":"\(user.id)","username":"\(user.username)"},"_updatedAt":"2024-01-10T14:12:52.203Z"\(extra)}
            """
        _ = try await IntegrationRepository(pool: pool).insert(document: document)
        return id
    }

    /// Inserts a history record of an integration, updated at the given second of 2019-11-29 14:15.
    @discardableResult
    func createHistory(integrationId: String, createdBy creator: TestUser? = nil, second: Int) async throws -> String {
        let id = RandomToken.id()
        let updated = String(format: "2019-11-29T14:15:%02d.606Z", second)
        let createdBy = creator.map { #","_createdBy":{"_id":"\#($0.id)","username":"\#($0.username)"}"# } ?? ""
        try await HistoryRepository(pool: pool).insert(
            document: """
                {"_id":"\(id)","type":"outgoing-webhook","step":"after-http-call","integration":{"_id":"\(integrationId)"\(createdBy)},\
                "event":"sendMessage","_createdAt":"2019-11-29T14:15:00.000Z","_updatedAt":"\(updated)"}
                """
        )
        return id
    }

    /// Asks PostgreSQL whether two JSON texts are the same value (key order aside; numbers compared exactly).
    func sameJSON(_ lhs: String, _ rhs: String) async throws -> Bool {
        try await pool.withSession { session in
            try session.execute(sql: "SELECT $1::jsonb = $2::jsonb", [lhs, rhs]).bool(row: 0, column: 0) ?? false
        }
    }

    /// Evaluates a jsonb path expression (`-> 'integration' ->> '_id'`) on a response body in PostgreSQL.
    func extract(_ path: String, from body: String) async throws -> String? {
        try await pool.withSession { session in
            try session.execute(sql: "SELECT ($1::jsonb) \(path)", [body]).string(row: 0, column: 0)
        }
    }
}

/// HummingbirdTesting's keep-alive client over a real socket.
struct LiveClient: Sendable {
    let client: TestClient

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers = headers
        headers[.connection] = "keep-alive"
        let response = try await client.execute(.init(uri, method: method, authority: "localhost", headers: headers, body: body))
        return TestResponse(head: response.head, body: response.body ?? ByteBuffer())
    }

    /// The server's port.
    let port: Int
}

/// A response as the tests read it.
struct TestResponse: Sendable {
    let head: HTTPResponse
    let body: ByteBuffer

    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
}

/// A user the tests created, with a valid login token.
struct TestUser: Sendable {
    let id: String
    let username: String
    let token: String
    let password: String

    /// The same user with a token that is not valid.
    var withWrongToken: TestUser { TestUser(id: id, username: username, token: "not-\(token)", password: password) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// The four integration permissions.
enum Permission {
    static let manageIncoming = "manage-incoming-integrations"
    static let manageOwnIncoming = "manage-own-incoming-integrations"
    static let manageOutgoing = "manage-outgoing-integrations"
    static let manageOwnOutgoing = "manage-own-outgoing-integrations"
    static let all = [manageIncoming, manageOwnIncoming, manageOutgoing, manageOwnOutgoing]
}

import IntegrationsCore
import LibPQ

/// Integrations and their history records, stored as JSONB documents.
public struct IntegrationRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// What `integrations.get` found, decided in the database in one round trip.
    public enum Lookup: Sendable {
        /// No user has this id and token.
        case unauthenticated
        /// No integration has this id (and creator, when one was given).
        case notFound
        /// The integration exists but the caller may not see it.
        case forbidden
        /// The stored documents as JSON text, ready to be written into a response.
        case found(IntegrationDocuments)
    }

    /// The stored JSON text of an integration and of its newest history records, read in place.
    public struct IntegrationDocuments: Sendable {
        let result: QueryResult

        /// Calls `body` with the integration document's JSON bytes.
        public func withIntegration<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
            try result.withBytes(row: 0, column: 1, body)
        }

        /// Calls `body` with the JSON array of history records, or returns `nil` when none were asked for.
        public func withHistory<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
            try result.withBytes(row: 0, column: 2, body)
        }
    }

    /// Authenticates the caller, finds the integration, applies the permission rule and reads the newest
    /// `historyCount` history records — one prepared statement, one round trip.
    public func get(
        userId: String,
        hashedToken: String,
        integrationId: String,
        createdBy: String?,
        historyCount: Int
    ) async throws(StoreError) -> Lookup {
        let result = try await pool.run(
            Statements.getIntegration,
            [userId, hashedToken, integrationId, createdBy, String(historyCount)]
        )
        guard result.rowCount == 1, let outcome = result.string(row: 0, column: 0) else {
            throw StoreError(PostgresError(.unexpectedResult, message: "get_integration returned \(result.rowCount) rows"))
        }
        switch outcome {
        case "ok": return .found(IntegrationDocuments(result: result))
        case "unauthenticated": return .unauthenticated
        case "not-found": return .notFound
        case "forbidden": return .forbidden
        default: throw StoreError(PostgresError(.unexpectedResult, message: "get_integration returned outcome \(outcome)"))
        }
    }

    /// `integrations.list`: the integrations the caller may see, filtered by a case-insensitive `name`
    /// substring and an exact `type`, one page in the given order (insertion order by default, as MongoDB answers).
    public func list(
        userId: String,
        hashedToken: String,
        nameContains name: String?,
        type: String?,
        page: PageRequest,
        sort: [SortKey]
    ) async throws(StoreError) -> PagedLookup {
        let pattern = name.map(Self.likePattern)
        let parameters: [String?] = [userId, hashedToken, pattern, type] + page.statementParameters + sort.statementParameters
        return try PagedLookup(try await pool.run(Statements.listIntegrations, parameters), statement: "list_integrations")
    }

    /// `integrations.history`: the history records of one integration the caller may see, newest first by default.
    public func history(
        userId: String,
        hashedToken: String,
        integrationId: String,
        page: PageRequest,
        sort: [SortKey]
    ) async throws(StoreError) -> PagedLookup {
        let parameters: [String?] = [userId, hashedToken, integrationId] + page.statementParameters
        if sort.isEmpty || sort == [SortKey(path: ["_updatedAt"], ascending: false)] {
            return try PagedLookup(try await pool.run(Statements.listHistoryNewestFirst, parameters), statement: "list_history_newest_first")
        }
        return try PagedLookup(try await pool.run(Statements.listHistory, parameters + sort.statementParameters), statement: "list_history")
    }

    /// A LIKE pattern matching `text` literally: `\`, `%` and `_` are escaped (backslash is LIKE's default escape).
    static func likePattern(_ text: String) -> String {
        var pattern = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern
    }

    /// Which delete method of Rocket.Chat applies: the kind named by the request body's `type`.
    public enum Kind: String, Sendable {
        case incoming, outgoing
    }

    /// What `integrations.create` did.
    public enum CreateOutcome: Sendable {
        case unauthenticated
        /// A rule of Rocket.Chat's add method refused the integration; nothing was written.
        case rejected(MeteorError)
        /// The stored document.
        case created(String)
    }

    /// `integrations.create`: authenticates the caller, applies Rocket.Chat's add method for `kind` (permission,
    /// validation in Rocket.Chat's order, users, rooms and membership looked up in the same transaction), stores
    /// the document and, for an incoming integration, gives the "post as" user the `bot` role — all or nothing.
    public func create(userId: String, hashedToken: String, kind: Kind, body: JSONValue) async throws(StoreError) -> CreateOutcome {
        try await pool.session { session in
            try session.transaction { () throws -> CreateOutcome in
                let directory = SessionDirectory(session: session)
                guard let caller = try directory.caller(userId: userId, hashedToken: hashedToken) else { return .unauthenticated }
                let integration: IntegrationFactory.NewIntegration
                do {
                    integration = switch kind {
                    case .incoming: try IntegrationFactory.incoming(body, caller: caller, directory: directory)
                    case .outgoing: try IntegrationFactory.outgoing(body, caller: caller, directory: directory)
                    }
                } catch let error as MeteorError {
                    return .rejected(error)
                }
                let stored = try session.execute(Statements.insertIntegration, [integration.document.text])
                if kind == .incoming {
                    _ = try session.execute(Statements.addUserRole, [integration.postAsUserId, "bot"])
                }
                return .created(stored.string(row: 0, column: 0) ?? integration.document.text)
            }
        }
    }

    /// What `integrations.update` did.
    public enum UpdateOutcome: Sendable {
        case unauthenticated
        /// Neither the id nor the target URL names an integration.
        case notFound
        case rejected(MeteorError)
        /// The document as stored after the update.
        case updated(String)
    }

    /// `integrations.update`: finds the integration (an outgoing one by `targetURL` when given, else by id),
    /// applies Rocket.Chat's update method for `kind`, and stores the changed fields — all or nothing.
    public func update(
        userId: String,
        hashedToken: String,
        kind: Kind,
        integrationId: String?,
        targetURL: String?,
        body: JSONValue
    ) async throws(StoreError) -> UpdateOutcome {
        try await pool.session { session in
            try session.transaction { () throws -> UpdateOutcome in
                let directory = SessionDirectory(session: session)
                guard let caller = try directory.caller(userId: userId, hashedToken: hashedToken) else { return .unauthenticated }
                let found = try session.execute(Statements.integrationForUpdate, [integrationId, targetURL])
                guard found.rowCount == 1, let id = found.string(row: 0, column: 0) else { return .notFound }
                let current = IntegrationUpdate.Current(
                    id: id,
                    createdBy: found.string(row: 0, column: 1),
                    username: found.string(row: 0, column: 2),
                    scriptEngine: found.string(row: 0, column: 3)
                )
                let patch: IntegrationUpdate.Patch
                do {
                    patch = switch kind {
                    case .incoming: try IntegrationUpdate.incoming(body, caller: caller, current: current, directory: directory)
                    case .outgoing: try IntegrationUpdate.outgoing(body, caller: caller, current: current, directory: directory)
                    }
                } catch let error as MeteorError {
                    return .rejected(error)
                }
                if let botUserId = patch.botUserId {
                    _ = try session.execute(Statements.addUserRole, [botUserId, "bot"])
                }
                let unset = "{" + patch.unset.joined(separator: ",") + "}"
                let stored = try session.execute(Statements.patchIntegration, [id, patch.set.text, unset])
                return .updated(stored.string(row: 0, column: 0) ?? "{}")
            }
        }
    }

    /// What `integrations.remove` did.
    public enum RemoveOutcome: Sendable, Equatable {
        case unauthenticated
        /// The caller holds none of the four integration permissions.
        case forbidden
        case notFound
        /// The caller holds neither permission for this kind.
        case notAuthorized
        /// The caller may delete only its own integrations, and this one is not.
        case invalidIntegration
        /// Deleted (with its history when outgoing); the document as it was.
        case removed(String)
    }

    /// `integrations.remove`: finds the integration by `targetURL` (an element of `urls`) or else by id, checks
    /// the caller's permission for `kind`, and deletes it with its history, atomically.
    public func remove(
        userId: String,
        hashedToken: String,
        kind: Kind,
        integrationId: String?,
        targetURL: String?
    ) async throws(StoreError) -> RemoveOutcome {
        let result = try await pool.run(Statements.removeIntegration, [userId, hashedToken, kind.rawValue, integrationId, targetURL])
        switch result.string(row: 0, column: 0) {
        case "ok": return .removed(result.string(row: 0, column: 1) ?? "{}")
        case "unauthenticated": return .unauthenticated
        case "forbidden": return .forbidden
        case "not-found": return .notFound
        case "not-authorized": return .notAuthorized
        case "invalid-integration": return .invalidIntegration
        case let other: throw StoreError(PostgresError(.unexpectedResult, message: "remove_integration returned \(other ?? "NULL")"))
        }
    }

    /// What `integrations.clearHistory` did.
    public enum ClearOutcome: Sendable, Equatable {
        case unauthenticated, forbidden, invalidIntegration, cleared
    }

    /// `integrations.clearHistory`: deletes every history record of an integration the caller may manage.
    public func clearHistory(userId: String, hashedToken: String, integrationId: String) async throws(StoreError) -> ClearOutcome {
        let result = try await pool.run(Statements.clearHistory, [userId, hashedToken, integrationId])
        switch result.string(row: 0, column: 0) {
        case "ok": return .cleared
        case "unauthenticated": return .unauthenticated
        case "forbidden": return .forbidden
        case "invalid-integration": return .invalidIntegration
        case let other: throw StoreError(PostgresError(.unexpectedResult, message: "clear_history returned \(other ?? "NULL")"))
        }
    }

    /// Stores a new integration document (a JSON object with at least `_id` and `type`); returns it as stored.
    public func insert(document: String) async throws(StoreError) -> String {
        let result = try await pool.run(Statements.insertIntegration, [document])
        return result.string(row: 0, column: 0) ?? document
    }
}

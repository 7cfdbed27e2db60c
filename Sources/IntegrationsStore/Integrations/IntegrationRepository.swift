import IntegrationsCore
import LibPQ

/// Integrations, stored as JSONB documents, and the history listings of `integrations.history`: every
/// `integrations.*` use case, each decided and done in the database in one statement or one transaction.
public struct IntegrationRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// `integrations.get`: authenticates the caller, finds the integration, applies the permission rule and
    /// reads the newest `historyCount` history records — one prepared statement, one round trip. Refusals:
    /// `unauthenticated`, `notFound` (no such id, or not by that creator), `forbidden`.
    public func get(
        userId: String,
        hashedToken: String,
        integrationId: String,
        createdBy: String?,
        historyCount: Int
    ) async throws(StoreError) -> Outcome<IntegrationDocuments> {
        let statement = IntegrationStatements.get
        let result = try await pool.run(statement, [userId, hashedToken, integrationId, createdBy, String(historyCount)])
        return try Verdict(result, of: statement).outcome { IntegrationDocuments(result: result) }
    }

    /// `integrations.list`: the integrations the caller may see, filtered by a case-insensitive `name`
    /// substring and an exact `type`, one page in the given order (insertion order by default, as MongoDB
    /// answers). Refusals: `unauthenticated`, `forbidden` (none of the four integration permissions).
    public func list(
        userId: String,
        hashedToken: String,
        nameContains name: String?,
        type: String?,
        page: PageRequest,
        sort: [SortKey]
    ) async throws(StoreError) -> Outcome<PageOfDocuments> {
        let pattern = name.map(Self.likePattern)
        let parameters: [String?] = [userId, hashedToken, pattern, type] + page.statementParameters + sort.statementParameters
        return try await self.page(IntegrationStatements.list, parameters)
    }

    /// `integrations.history`: the history records of one integration the caller may see, newest first by
    /// default. Refusals: `unauthenticated`, `forbidden` (no outgoing permission).
    public func history(
        userId: String,
        hashedToken: String,
        integrationId: String,
        page: PageRequest,
        sort: [SortKey]
    ) async throws(StoreError) -> Outcome<PageOfDocuments> {
        let parameters: [String?] = [userId, hashedToken, integrationId] + page.statementParameters
        if sort.isEmpty || sort == [SortKey(path: ["_updatedAt"], ascending: false)] {
            return try await self.page(IntegrationStatements.listHistoryNewestFirst, parameters)
        }
        return try await self.page(IntegrationStatements.listHistory, parameters + sort.statementParameters)
    }

    private func page(_ statement: PreparedStatement, _ parameters: [String?]) async throws(StoreError) -> Outcome<PageOfDocuments> {
        let result = try await pool.run(statement, parameters)
        return try Verdict(result, of: statement).outcome { PageOfDocuments(result: result) }
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

    /// `integrations.create`: authenticates the caller, applies Rocket.Chat's add method for `kind` (permission,
    /// validation in Rocket.Chat's order, users, rooms and membership looked up in the same transaction), stores
    /// the document and, for an incoming integration, gives the "post as" user the `bot` role — all or nothing.
    /// Returns the stored document. Refusals: `unauthenticated`; the method's errors as `rejected`.
    public func create(
        userId: String,
        hashedToken: String,
        kind: IntegrationKind,
        body: JSONValue
    ) async throws(StoreError) -> Outcome<String> {
        try await transaction(userId: userId, hashedToken: hashedToken) { session, directory, caller in
            let integration: IntegrationFactory.NewIntegration
            do {
                integration =
                    switch kind {
                    case .incoming: try IntegrationFactory.incoming(body, caller: caller, directory: directory)
                    case .outgoing: try IntegrationFactory.outgoing(body, caller: caller, directory: directory)
                    }
            } catch let error as MeteorError {
                return .rejected(error)
            }
            let stored = try session.execute(IntegrationStatements.insert, [integration.document.text])
            if kind == .incoming {
                _ = try session.execute(IntegrationStatements.addUserRole, [integration.postAsUserId, "bot"])
            }
            return .done(stored.string(row: 0, column: 0) ?? integration.document.text)
        }
    }

    /// `integrations.update`: finds the integration (an outgoing one by `targetURL` when given, else by id),
    /// applies Rocket.Chat's update method for `kind`, and stores the changed fields — all or nothing. Returns
    /// the document as stored. Refusals: `unauthenticated`, `notFound`; the method's errors as `rejected`.
    public func update(
        userId: String,
        hashedToken: String,
        kind: IntegrationKind,
        integrationId: String?,
        targetURL: String?,
        body: JSONValue
    ) async throws(StoreError) -> Outcome<String> {
        try await transaction(userId: userId, hashedToken: hashedToken) { session, directory, caller in
            let found = try session.execute(IntegrationStatements.forUpdate, [integrationId, targetURL])
            guard found.rowCount == 1, let id = found.string(row: 0, column: 0) else { return .refused(.notFound) }
            let current = IntegrationUpdate.Current(
                id: id,
                createdBy: found.string(row: 0, column: 1),
                username: found.string(row: 0, column: 2),
                scriptEngine: found.string(row: 0, column: 3)
            )
            let patch: IntegrationUpdate.Patch
            do {
                patch =
                    switch kind {
                    case .incoming: try IntegrationUpdate.incoming(body, caller: caller, current: current, directory: directory)
                    case .outgoing: try IntegrationUpdate.outgoing(body, caller: caller, current: current, directory: directory)
                    }
            } catch let error as MeteorError {
                return .rejected(error)
            }
            if let botUserId = patch.botUserId {
                _ = try session.execute(IntegrationStatements.addUserRole, [botUserId, "bot"])
            }
            let unset = "{" + patch.unset.joined(separator: ",") + "}"
            let stored = try session.execute(IntegrationStatements.patch, [id, patch.set.text, unset])
            return .done(stored.string(row: 0, column: 0) ?? "{}")
        }
    }

    /// Runs `body` in one transaction with the authenticated caller and the rules' look-ups on that transaction.
    private func transaction(
        userId: String,
        hashedToken: String,
        _ body: @escaping @Sendable (Session, TransactionDirectory, Caller) throws -> Outcome<String>
    ) async throws(StoreError) -> Outcome<String> {
        try await pool.session { session in
            try session.transaction { () throws -> Outcome<String> in
                let directory = TransactionDirectory(session: session)
                guard let caller = try directory.caller(userId: userId, hashedToken: hashedToken) else { return .refused(.unauthenticated) }
                return try body(session, directory, caller)
            }
        }
    }

    /// `integrations.remove`: finds the integration by `targetURL` (an element of `urls`) or else by id, checks
    /// the caller's permission for `kind`, and deletes it with its history, atomically. Returns the document as
    /// it was. Refusals: `unauthenticated`, `forbidden` (none of the four permissions), `notFound`,
    /// `notAuthorized` (neither permission for this kind), `invalidIntegration` (only its own, and not this one).
    public func remove(
        userId: String,
        hashedToken: String,
        kind: IntegrationKind,
        integrationId: String?,
        targetURL: String?
    ) async throws(StoreError) -> Outcome<String> {
        let statement = IntegrationStatements.remove
        let result = try await pool.run(statement, [userId, hashedToken, kind.rawValue, integrationId, targetURL])
        return try Verdict(result, of: statement).outcome { result.string(row: 0, column: 1) ?? "{}" }
    }

    /// `integrations.clearHistory`: deletes every history record of an integration the caller may manage.
    /// Refusals: `unauthenticated`, `forbidden` (no outgoing permission), `invalidIntegration` (no such
    /// integration, or not the caller's own when it may manage only its own).
    public func clearHistory(userId: String, hashedToken: String, integrationId: String) async throws(StoreError) -> Outcome<Void> {
        let statement = IntegrationStatements.clearHistory
        return try Verdict(try await pool.run(statement, [userId, hashedToken, integrationId]), of: statement).outcome {}
    }

    /// Stores a new integration document (a JSON object with at least `_id` and `type`); returns it as stored.
    public func insert(document: String) async throws(StoreError) -> String {
        let result = try await pool.run(IntegrationStatements.insert, [document])
        return result.string(row: 0, column: 0) ?? document
    }
}

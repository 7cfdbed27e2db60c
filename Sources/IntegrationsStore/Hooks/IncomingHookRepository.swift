import IntegrationsCore
import LibPQ

/// Incoming webhooks' integrations, as `/hooks/:integrationId/:token` finds them (the messages they post go through
/// ``MessageRepository/post(asUserId:to:_:hops:)``).
public struct IncomingHookRepository: Sendable {
    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// The incoming integration with this id (its stored document), or nil.
    public func find(id: String) async throws(StoreError) -> IncomingIntegration? {
        let result = try await pool.run(IncomingHookStatements.find, [id])
        guard let text = result.string(row: 0, column: 0) else { return nil }
        guard let document = try? JSONParser.parse(text) else {
            throw .unexpectedResult(of: IncomingHookStatements.find, "an integration document that is not JSON")
        }
        return IncomingIntegration(document)
    }
}

import IntegrationsCore
import LibPQ

/// The integration rules' look-ups (``IntegrationDirectory``), answered on the connection of the transaction
/// that then writes the integration, so that what the rules saw is what the write commits against.
struct TransactionDirectory: IntegrationDirectory {
    let session: Session

    func userId(username: String) throws -> String? {
        try first(DirectoryStatements.userIdByUsername, username)
    }

    func userId(idOrUsername: String) throws -> String? {
        try first(DirectoryStatements.userIdByIdOrUsername, idOrUsername)
    }

    func roomId(idOrName: String) throws -> String? {
        try first(DirectoryStatements.roomIdByIdOrName, idOrName)
    }

    func isSubscribed(userId: String, roomId: String) throws -> Bool {
        try session.execute(DirectoryStatements.isSubscribed, [roomId, userId]).bool(row: 0, column: 0) ?? false
    }

    /// The authenticated caller with its integration permissions, or `nil`.
    func caller(userId: String, hashedToken: String) throws -> Caller? {
        let result = try session.execute(DirectoryStatements.callerProfile, [userId, hashedToken])
        guard result.rowCount == 1, let id = result.string(row: 0, column: 0), let username = result.string(row: 0, column: 1) else {
            return nil
        }
        let flags: [(Int, IntegrationPermission)] = [
            (2, .manageIncoming), (3, .manageOwnIncoming), (4, .manageOutgoing), (5, .manageOwnOutgoing),
        ]
        let permissions = Set(flags.compactMap { result.bool(row: 0, column: $0.0) == true ? $0.1 : nil })
        return Caller(id: id, username: username, permissions: permissions)
    }

    private func first(_ statement: PreparedStatement, _ parameter: String) throws -> String? {
        let result = try session.execute(statement, [parameter])
        return result.rowCount > 0 ? result.string(row: 0, column: 0) : nil
    }
}

import LibPQ

/// Every statement the service runs, by use case: each connection of a pool prepares them all once, right
/// after connecting. The SQL of each use case lives beside its repository (`<Repository>Statements.swift`);
/// this list is the one place that gathers them.
public enum StatementCatalogue {
    public static let statements: [PreparedStatement] =
        IntegrationStatements.all + DirectoryStatements.all + HistoryStatements.all + UserStatements.all
        + RoomStatements.all + MessageStatements.all + PermissionStatements.all + LoginFailureStatements.all + RateLimitWindowStatements.all
        + ImportStatements.all + HealthStatements.all + DeliveryStatements.all + IncomingHookStatements.all

    /// The statements of the delivery engine's own pool (claim, attempt start and end, lease renewal and release,
    /// the engines' `NOTIFY`).
    public static let deliveryEngine: [PreparedStatement] = DeliveryStatements.engine

    /// How the delivery engine's pool plans: see ``DeliveryStatements/sessionParameters``.
    public static let deliveryEngineSessionParameters: [SessionParameter] = DeliveryStatements.sessionParameters
}

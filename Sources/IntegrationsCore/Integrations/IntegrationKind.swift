/// The two kinds of integration, named by the `type` Rocket.Chat stores: an incoming webhook posts into rooms,
/// an outgoing one is called on room events.
public enum IntegrationKind: String, Sendable, CaseIterable {
    case incoming = "webhook-incoming"
    case outgoing = "webhook-outgoing"
}

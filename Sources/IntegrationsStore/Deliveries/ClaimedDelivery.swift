/// A delivery a worker has claimed: what it needs to make one attempt, and the lease that fences its writes.
public struct ClaimedDelivery: Sendable, Equatable {
    /// The Standard Webhooks `webhook-id`, the same on every attempt.
    public var id: String
    public var integrationId: String
    public var url: String
    public var triggerWord: String?
    /// Attempts made before this one (Rocket.Chat's `tries`).
    public var tries: Int
    public var leaseToken: String
    /// The history record of an earlier attempt whose worker stopped in flight (its lease expired), if any.
    public var abandonedHistoryId: String?
    public var event: String
    /// The event's documents (JSON text), which the payload is mapped from.
    public var context: String
    /// The integration's document as it is now (JSON text); nil when it was removed.
    public var integrationDocument: String?

    public init(
        id: String,
        integrationId: String,
        url: String,
        triggerWord: String?,
        tries: Int,
        leaseToken: String,
        abandonedHistoryId: String?,
        event: String,
        context: String,
        integrationDocument: String?
    ) {
        self.id = id
        self.integrationId = integrationId
        self.url = url
        self.triggerWord = triggerWord
        self.tries = tries
        self.leaseToken = leaseToken
        self.abandonedHistoryId = abandonedHistoryId
        self.event = event
        self.context = context
        self.integrationDocument = integrationDocument
    }
}

import IntegrationsCore

/// How the delivery engine of one worker process behaves (see the README's "Outgoing webhooks" settings).
public struct DeliverySettings: Sendable, Equatable {
    /// Attempts in flight at once in this process (`OUTGOING_CONCURRENCY`).
    public var concurrency: Int = 64
    /// The most deliveries one claim takes (a claim waits for half of it, or of `concurrency`, to be free). 64
    /// with 64 slots: fan-out medians 3,415-3,465 deliveries/s against 2,380 with 32, in runs side by side.
    public var claimBatch: Int = 64
    /// How long a claimed delivery is this worker's before another may take it over (`OUTGOING_LEASE_MS`);
    /// renewed every third of it while the call runs.
    public var lease: Duration = .seconds(30)
    /// How long a stopping engine lets its calls finish before it cancels them and gives them back: a quarter
    /// of `GRACEFUL_TIMEOUT_MS`, which also covers the HTTP server's drain (before it) and the pool's close (after).
    public var drainTimeout: Duration = .milliseconds(7500)
    /// How often the engine looks for due deliveries when nothing woke it (`OUTGOING_POLL_MS`).
    public var pollInterval: Duration = .seconds(1)
    /// The HTTP call: connection (`OUTGOING_CONNECT_TIMEOUT_MS`) and whole-call (`OUTGOING_TIMEOUT_MS`) limits.
    public var connectTimeout: Duration = .seconds(5)
    public var totalTimeout: Duration = .seconds(30)
    /// The most bytes of a reply read (Rocket.Chat's 10 MiB); a longer reply fails the attempt.
    public var responseLimit: Int = 10 * 1024 * 1024
    /// Addresses webhooks may reach although they are loopback, private, link-local … (`OUTGOING_ALLOWED_CIDRS`).
    public var addressPolicy = AddressPolicy()
    /// Whether URLs may name hosts (resolved once per call); false allows only address literals and
    /// `localhost` (`OUTGOING_RESOLVE_HOSTS`): no DNS at all, for networks where lookups are themselves egress.
    public var resolvesHostNames = true
    /// Only the addresses of `addressPolicy.allowed` may be reached, public ones neither
    /// (`OUTGOING_ONLY_ALLOWED_CIDRS`): egress for locked-down networks, and for the tests.
    public var onlyAllowedAddresses = false
    /// Options beyond Rocket.Chat's behaviour (off by default, but for `Retry-After`).
    public var decisionOptions = AttemptDecision.Options()
    /// Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) on every call.
    public var signsRequests = true
    /// Rocket.Chat's `Site_Url`, sent as `siteUrl` in message payloads.
    public var siteURL = "http://localhost:3000"

    public init() {}
}

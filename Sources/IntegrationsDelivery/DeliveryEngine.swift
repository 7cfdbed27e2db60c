import Foundation
import IntegrationsCore
import IntegrationsStore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The outgoing-webhook delivery engine of one worker process: a `Service` that claims due deliveries in
/// batches (as many as it has free slots), calls them concurrently, and writes each attempt's end, fenced by
/// its lease. It wakes when this process enqueued deliveries, when PostgreSQL notifies that another did, when
/// an attempt frees a slot, and otherwise every poll interval. It holds no pooled connection while a call runs.
///
/// Stopping: on graceful shutdown it claims nothing more and lets the calls in flight finish for
/// ``DeliverySettings/drainTimeout``; calls still running then are cancelled and give their leases back, so
/// another worker makes them at once.
public final class DeliveryEngine: Service, Sendable {
    private let deliveries: DeliveryRepository
    private let completions: CompletionBatcher
    private let replies: ReplyPoster
    private let client: WebhookClient
    private let settings: DeliverySettings
    private let owner: String
    private let logger: Logger
    private let wake = WakeSignal()
    /// The attempts in flight, by lease token (a delivery this engine takes over from itself is another attempt).
    private let inFlight = Mutex<[String: ClaimedDelivery]>([:])
    /// The earliest due time of a retry this engine scheduled, so that it wakes for it before the next poll.
    private let nextRetry = Mutex<ContinuousClock.Instant?>(nil)
    /// Whether the last claim got all it asked for, so that more may be due: then an attempt's end (a free slot)
    /// wakes the engine. After a claim that found the queue empty only an enqueue, a retry or the poll does.
    private let backlog = Atomic<Bool>(false)
    private let metrics = DeliveryMetrics()

    /// `messages` posts the messages of webhook replies; the engine wakes itself when they trigger deliveries.
    public init(
        deliveries: DeliveryRepository,
        messages: MessageRepository,
        client: WebhookClient,
        settings: DeliverySettings,
        owner: String,
        logger: Logger
    ) {
        self.deliveries = deliveries
        completions = CompletionBatcher(deliveries: deliveries)
        replies = ReplyPoster(messages: messages)
        self.client = client
        self.settings = settings
        self.owner = owner
        self.logger = logger
    }

    /// What the store calls after a commit that enqueued deliveries, and the `LISTEN` connection on a notification.
    public var signal: DeliverySignal {
        DeliverySignal { [wake] in wake.signal() }
    }

    /// Wakes the engine (a notification from another process).
    public func wakeUp() {
        wake.signal()
    }

    public func run() async throws {
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { maintenance in
                maintenance.addTask { await self.renewLeases() }
                // Ends when every attempt has, or when the drain deadline cancels those still running.
                try? await withThrowingDiscardingTaskGroup { attempts in
                    while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                        let filled = await claimAndStart(into: &attempts)
                        if filled && freeSlots >= minimumClaim { continue }
                        await wake.wait(timeout: nextWait())
                    }
                    // Stopping: the calls in flight may finish until the deadline; then they are cancelled, and
                    // give their deliveries back while the pool still runs (it stops after this service).
                    attempts.addTask {
                        let deadline = ContinuousClock.now + self.settings.drainTimeout
                        while !self.inFlight.withLock({ $0.isEmpty }) {
                            guard ContinuousClock.now < deadline else { throw DrainDeadline() }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
                maintenance.cancelAll()
            }
        } onGracefulShutdown: { [wake] in
            stopping.store(true, ordering: .relaxed)
            wake.signal()
        }
        await client.shutdown()
    }

    /// Until the next poll, or the next retry this engine scheduled when that comes first.
    private func nextWait() -> Duration {
        let now = ContinuousClock.now
        let retry = nextRetry.withLock { due -> Duration? in
            guard let instant = due else { return nil }
            if instant <= now { due = nil }
            return max(.zero, instant - now)
        }
        return min(settings.pollInterval, retry ?? settings.pollInterval)
    }

    /// Notes a retry due after `delay`, for ``nextWait()``.
    private func scheduleWake(after delay: Duration) {
        let due = ContinuousClock.now + delay
        nextRetry.withLock { current in
            if current.map({ due < $0 }) ?? true { current = due }
        }
    }

    private var freeSlots: Int {
        settings.concurrency - inFlight.withLock { $0.count }
    }

    /// The fewest free slots worth a claim: half a batch (or of the slots), so that a backlog is claimed in
    /// batches rather than one delivery per ended attempt, while a quiet engine claims whatever is due at once.
    private var minimumClaim: Int {
        max(1, min(settings.claimBatch, settings.concurrency) / 2)
    }

    /// One claim, when enough slots are free: returns whether it got as many deliveries as it asked for (more may
    /// be due); the calls run in `attempts`.
    private func claimAndStart(into attempts: inout ThrowingDiscardingTaskGroup<any Error>) async -> Bool {
        let limit = min(settings.claimBatch, freeSlots)
        guard limit >= minimumClaim else {
            // Whatever woke the engine waits for slots: the attempts that end will wake it.
            backlog.store(true, ordering: .relaxed)
            return false
        }
        let claimed: [ClaimedDelivery]
        do {
            claimed = try await deliveries.claim(limit: limit, lease: settings.lease, owner: owner)
        } catch {
            logger.warning("claiming deliveries failed", metadata: ["error": "\(error)"])
            return false
        }
        backlog.store(claimed.count == limit, ordering: .relaxed)
        guard !claimed.isEmpty else { return false }
        let now = RocketChatDate.now()
        var documents = AttemptPlan.Documents()
        let plans = claimed.map { AttemptPlan($0, historyId: RandomToken.id(), siteURL: settings.siteURL, now: now, documents: &documents) }
        for delivery in claimed where delivery.abandonedHistoryId != nil {
            metrics.takeovers.increment()
            logger.info(
                "taking over a delivery whose worker stopped in flight",
                metadata: [
                    "delivery": "\(delivery.id)", "integration": "\(delivery.integrationId)",
                    "abandonedHistory": "\(delivery.abandonedHistoryId ?? "")",
                ]
            )
        }
        let held: Set<String>
        do {
            held = try await deliveries.begin(plans.map(\.start))
        } catch {
            // The leases expire and the deliveries are claimed again.
            logger.warning("starting delivery attempts failed", metadata: ["error": "\(error)"])
            return false
        }
        for plan in plans where held.contains(plan.delivery.id) {
            switch plan.action {
            case .drop(let reason):
                metrics.record(outcome: "dropped")
                logger.info(
                    "dropped a delivery",
                    metadata: ["delivery": "\(plan.delivery.id)", "integration": "\(plan.delivery.integrationId)", "reason": "\(reason)"]
                )
            case .endWithoutCall:
                metrics.record(outcome: "script")
                logger.info(
                    "did not call an integration with a script (scripts do not run yet)",
                    metadata: ["delivery": "\(plan.delivery.id)", "integration": "\(plan.delivery.integrationId)"]
                )
            case .call(_, let integration, let body, let origin):
                inFlight.withLock { $0[plan.delivery.leaseToken] = plan.delivery }
                attempts.addTask {
                    await self.call(plan.delivery, historyId: plan.historyId, integration: integration, body: body, origin: origin)
                    self.inFlight.withLock { _ = $0.removeValue(forKey: plan.delivery.leaseToken) }
                    if self.backlog.load(ordering: .relaxed) { self.wake.signal() }
                }
            }
        }
        return claimed.count == limit
    }

    /// One HTTP attempt and the write of its end.
    private func call(
        _ delivery: ClaimedDelivery,
        historyId: String,
        integration: OutgoingIntegration,
        body: [UInt8],
        origin: ReplyPoster.Origin
    ) async {
        var headers: [(name: String, value: String)] = [(IncomingHookMessage.hopsHeader, String(origin.hops + 1))]
        if settings.signsRequests {
            let timestamp = Int64(Date().timeIntervalSince1970)
            headers.append(("webhook-id", delivery.id))
            headers.append(("webhook-timestamp", String(timestamp)))
            if let token = integration.token, !token.isEmpty {
                // A `whsec_…` token is a Standard Webhooks secret (its base64 bytes); any other, its UTF-8 bytes.
                let key = WebhookSignature.key(fromSecret: token) ?? Array(token.utf8)
                headers.append(("webhook-signature", WebhookSignature.sign(id: delivery.id, timestamp: timestamp, body: body, key: key)))
            }
        }
        let started = ContinuousClock.now
        let result = await client.post(url: delivery.url, body: body, headers: headers)
        let elapsed = ContinuousClock.now - started
        if Task.isCancelled {
            // Stopping: the call did not end by itself, so it is not this attempt's result. Due again at once. (In
            // a task of its own: this one is cancelled, and the pool refuses work for cancelled tasks.)
            let released = await Task { [deliveries] () -> (any Error)? in
                do {
                    try await deliveries.release([delivery])
                    return nil
                } catch {
                    return error
                }
            }.value
            if let released {
                logger.warning(
                    "could not give back a delivery whose call the shutdown interrupted; it is taken over when its lease runs out",
                    metadata: ["delivery": "\(delivery.id)", "error": "\(released)"]
                )
            } else {
                logger.info("gave back a delivery whose call the shutdown interrupted", metadata: ["delivery": "\(delivery.id)"])
            }
            return
        }
        var decision = AttemptDecision.after(result, tries: delivery.tries, integration: integration, options: settings.decisionOptions)
        if let reply = decision.reply {
            let (step, fields) = await replies.post(reply, integration: integration, origin: origin)
            decision.step = step
            decision.fields += fields
            // The reply's message may have triggered deliveries of its own.
            wake.signal()
        }
        metrics.record(result, duration: elapsed)
        let next = decision.next
        let patch = OutgoingHistoryRecord.end(decision, now: RocketChatDate.now()).text
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "integration": "\(delivery.integrationId)", "url": "\(Self.withoutQuery(delivery.url))",
            "attempt": "\(delivery.tries + 1)",
            "step": "\(decision.step)", "ms": "\(elapsed.wholeMilliseconds)",
        ]
        switch result {
        case .response(let response): metadata["status"] = "\(response.status)"
        case .failed(let failure): metadata["error"] = "\(failure.code): \(failure.message)"
        }
        do {
            if try await completions.complete(.init(delivery: delivery, historyId: historyId, historyPatch: patch, next: next)) {
                if case .retry(let after) = next { scheduleWake(after: after) }
                logger.info("outgoing webhook attempt", metadata: metadata)
            } else {
                metrics.lostLeases.increment()
                logger.warning("an attempt ended after its lease was taken over; its result is not recorded", metadata: metadata)
            }
        } catch {
            // The lease expires and another attempt is made: at least once.
            logger.warning("recording an attempt failed", metadata: metadata.merging(["storeError": "\(error)"]) { $1 })
        }
    }

    /// A URL for the logs: its query (where webhook URLs often carry secrets) replaced by `?…`.
    static func withoutQuery(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        return String(url[..<mark]) + "?…"
    }

    /// Renews the leases of the calls in flight every third of a lease, until cancelled.
    private func renewLeases() async {
        let interval = settings.lease / 3
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            let running = inFlight.withLock { Array($0.values) }
            do {
                try await deliveries.renew(running, lease: settings.lease)
            } catch {
                logger.warning("renewing delivery leases failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The calls in flight did not finish within the drain timeout of a stopping engine.
private struct DrainDeadline: Error {}

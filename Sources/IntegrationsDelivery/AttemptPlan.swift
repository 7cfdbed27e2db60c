import IntegrationsCore
import IntegrationsStore

/// What the engine does with one claimed delivery, decided before anything is written: drop it (its
/// integration is gone or disabled: Rocket.Chat stops before it writes any history), record that its script
/// cannot run, or call its URL with the mapped payload.
struct AttemptPlan: Sendable {
    enum Action: Sendable {
        /// Nothing to record; the delivery ends.
        case drop(reason: String)
        /// A record that ends the delivery without a call.
        case endWithoutCall(history: JSONValue)
        /// A call, with its first history record, and where a reply's message would go.
        case call(history: JSONValue, integration: OutgoingIntegration, body: [UInt8], origin: ReplyPoster.Origin)
    }

    let delivery: ClaimedDelivery
    let historyId: String
    let action: Action

    /// The documents of one claim, each parsed once: the deliveries of one event share its context, and those
    /// of one integration its document (a fan-out of 100 integrations claims 32 deliveries of one event at once).
    struct Documents {
        private var parsed: [String: JSONValue?] = [:]

        mutating func parse(_ text: String) -> JSONValue? {
            if let known = parsed[text] { return known }
            let value = try? JSONParser.parse(text)
            parsed[text] = value
            return value
        }
    }

    init(_ delivery: ClaimedDelivery, historyId: String, siteURL: String, now: String, documents: inout Documents) {
        self.delivery = delivery
        self.historyId = historyId
        guard let text = delivery.integrationDocument, let document = documents.parse(text),
            let integration = OutgoingIntegration(document: document)
        else {
            action = .drop(reason: "the integration was removed")
            return
        }
        guard integration.enabled else {
            action = .drop(reason: "the integration is disabled")
            return
        }
        guard let event = OutgoingEvent(rawValue: delivery.event), let context = documents.parse(delivery.context) else {
            action = .drop(reason: "the event \(delivery.event) cannot be read")
            return
        }
        let data = OutgoingPayload.data(
            event: event,
            context: context,
            token: integration.token,
            triggerWord: delivery.triggerWord,
            siteURL: siteURL
        )
        if integration.hasScript {
            action = .endWithoutCall(
                history: OutgoingHistoryRecord.scriptRefused(
                    id: historyId,
                    event: event.rawValue,
                    data: data,
                    triggerWord: delivery.triggerWord,
                    now: now
                )
            )
            return
        }
        let history = OutgoingHistoryRecord.beforeCall(
            id: historyId,
            event: event.rawValue,
            data: data,
            triggerWord: delivery.triggerWord,
            url: delivery.url,
            now: now
        )
        action = .call(
            history: history,
            integration: integration,
            body: Array(data.text.utf8),
            origin: ReplyPoster.Origin(data: data, context: context)
        )
    }

    /// The start the store records for this plan.
    var start: DeliveryRepository.AttemptStart {
        switch action {
        case .drop: DeliveryRepository.AttemptStart(delivery: delivery, history: nil, endsDelivery: true)
        case .endWithoutCall(let history):
            DeliveryRepository.AttemptStart(delivery: delivery, history: (historyId, history.text), endsDelivery: true)
        case .call(let history, _, _, _): DeliveryRepository.AttemptStart(delivery: delivery, history: (historyId, history.text), endsDelivery: false)
        }
    }
}

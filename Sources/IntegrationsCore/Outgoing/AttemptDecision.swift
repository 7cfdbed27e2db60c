/// What Rocket.Chat does after one HTTP attempt (its `executeTriggerUrl` response handling and retry logic):
/// the history record's last step and the fields it gains, and what happens next to the delivery.
public struct AttemptDecision: Sendable, Equatable {
    public enum Next: Sendable, Equatable {
        /// The delivery is over.
        case finish
        /// Another attempt after this delay (Rocket.Chat's `going-to-retry-<n>` timer, here a due time in a row).
        case retry(after: Duration)
        /// A 410 with a body: Rocket.Chat disables the integration; the delivery is over.
        case disableIntegration
    }

    public var step: String
    /// History fields set by this attempt's end (`httpResult`, `httpError`, `error`, `errorStack`, `finished`).
    public var fields: [(key: String, value: JSONValue)]
    public var next: Next
    /// A successful reply with `text` or `attachments`: a message to post into the room as the integration.
    public var reply: JSONValue?

    public static func == (lhs: AttemptDecision, rhs: AttemptDecision) -> Bool {
        lhs.step == rhs.step && JSONValue.object(lhs.fields) == JSONValue.object(rhs.fields) && lhs.next == rhs.next && lhs.reply == rhs.reply
    }

    /// The options beyond Rocket.Chat's behaviour: off by default, but for `Retry-After`, honoured up to an hour.
    public struct Options: Sendable, Equatable {
        /// Count every 2xx as success, even with an empty body (Rocket.Chat retries an empty 200: its issue #25562).
        public var everySuccessStatusSucceeds: Bool
        /// Send network errors through the retry logic, as Rocket.Chat 2.x did (its latest records them and stops).
        public var retryNetworkErrors: Bool
        /// Honour the `Retry-After` of a 429 or 503 up to this long: the retry waits for the longer of the policy's
        /// delay and the hint (nil ignores the header, as Rocket.Chat does).
        public var retryAfterLimit: Duration?

        public init(everySuccessStatusSucceeds: Bool = false, retryNetworkErrors: Bool = false, retryAfterLimit: Duration? = .seconds(3600)) {
            self.everySuccessStatusSucceeds = everySuccessStatusSucceeds
            self.retryNetworkErrors = retryNetworkErrors
            self.retryAfterLimit = retryAfterLimit
        }
    }

    /// Rocket.Chat's `errorStack` for an unknown `retryDelay` (the stack of its `Error`, without the frames).
    public static let invalidRetryDelay = "Error: The integration's retryDelay setting is invalid."

    /// The statuses Rocket.Chat counts as success (with a non-empty body).
    static let successStatuses: Set<Int> = [200, 201, 202]
    /// The content types whose body Rocket.Chat parses as JSON.
    static let jsonContentTypes: Set<String> = ["application/json", "text/javascript", "application/javascript", "application/x-javascript"]

    /// Decides after attempt number `tries + 1` of `integration`.
    public static func after(_ result: AttemptResult, tries: Int, integration: OutgoingIntegration, options: Options = .init()) -> AttemptDecision {
        switch result {
        case .failed(let failure):
            let fields: [(key: String, value: JSONValue)] = [("httpError", failure.document), ("httpResult", .string("null"))]
            guard options.retryNetworkErrors else { return AttemptDecision(step: "after-http-call", fields: fields, next: .finish) }
            return retrying(after: fields, tries: tries, integration: integration, retryAfter: nil, options: options)
        case .response(let response):
            let content = String(decoding: response.body, as: UTF8.self)
            // JSON.stringify(content, null, 2) of a string: the string as a JSON literal.
            let fields: [(key: String, value: JSONValue)] = [("httpResult", .string(JSONString.literal(content)))]
            let succeeded =
                options.everySuccessStatusSucceeds
                ? (200...299).contains(response.status) : !content.isEmpty && successStatuses.contains(response.status)
            guard succeeded else {
                if !content.isEmpty && response.status == 410 {
                    return AttemptDecision(
                        step: "after-process-http-status-410",
                        fields: fields + [("error", .bool(true))],
                        next: .disableIntegration
                    )
                }
                if !content.isEmpty && response.status == 500 {
                    return AttemptDecision(step: "after-process-http-status-500", fields: fields + [("error", .bool(true))], next: .finish)
                }
                let hint = response.status == 429 || response.status == 503 ? response.retryAfter : nil
                return retrying(after: fields, tries: tries, integration: integration, retryAfter: hint, options: options)
            }
            return AttemptDecision(step: "after-http-call", fields: fields, next: .finish, reply: reply(in: response, content: content))
        }
    }

    /// Rocket.Chat's retry branch: a retry when the integration retries and has tries left with a valid delay.
    private static func retrying(
        after fields: [(key: String, value: JSONValue)],
        tries: Int,
        integration: OutgoingIntegration,
        retryAfter: Duration?,
        options: Options
    ) -> AttemptDecision {
        let failed = fields + [("error", .bool(true))]
        guard integration.retryFailedCalls && integration.retryCount > 0 else {
            return AttemptDecision(step: "failed-and-not-configured-to-retry", fields: failed, next: .finish)
        }
        guard tries < integration.retryCount, let name = integration.retryDelay, !name.isEmpty else {
            return AttemptDecision(step: "too-many-retries", fields: failed, next: .finish)
        }
        guard let policy = RetryDelayPolicy(rawValue: name) else {
            return AttemptDecision(
                step: "failed-and-retry-delay-is-invalid",
                fields: failed + [("errorStack", .string(Self.invalidRetryDelay))],
                next: .finish
            )
        }
        var delay = policy.delay(afterTries: tries)
        if let hint = retryAfter, let limit = options.retryAfterLimit {
            delay = max(delay, min(hint, limit))
        }
        return AttemptDecision(step: "going-to-retry-\(tries + 1)", fields: failed, next: .retry(after: delay))
    }

    /// The reply's JSON when its content type is one Rocket.Chat parses and it has a truthy `text` or `attachments`.
    private static func reply(in response: AttemptResult.Response, content: String) -> JSONValue? {
        guard let contentType = response.contentType,
            let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first,
            jsonContentTypes.contains(String(type).trimmed.lowercased()),
            let data = try? JSONParser.parse(response.body), case .object = data
        else { return nil }
        let hasText = data["text"]?.isTruthy ?? false
        let hasAttachments = data["attachments"]?.isTruthy ?? false
        return hasText || hasAttachments ? data : nil
    }
}

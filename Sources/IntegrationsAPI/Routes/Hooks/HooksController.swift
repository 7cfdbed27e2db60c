import Foundation
import HTTPTypes
import Hummingbird
import IntegrationsCore
import IntegrationsStore
import Logging
import Metrics

/// Incoming webhooks: `POST`/`GET /hooks/:integrationId/:token` (and the legacy `/hooks/:integrationId/:userId/:token`,
/// whose user id Rocket.Chat ignores) post the body's message into rooms as the integration's user, in Rocket.Chat's
/// order and with its answers. No credentials: the token in the URL is the secret.
struct HooksController: Sendable {
    let hooks: IncomingHookRepository
    let messages: MessageRepository

    /// ``IncomingHookMessage/hopsHeader``.
    static let hopsHeader = HTTPField.Name(IncomingHookMessage.hopsHeader)!

    func register(on router: Router<APIRequestContext>) {
        // The legacy route's middle segment (the user id) takes the name `token` too: the router allows one
        // parameter name per position. Its last segment is the token.
        for path in ["/hooks/:integrationId/:token", "/hooks/:integrationId/:token/:legacyToken"] {
            router.post(RouterPath(path), use: call)
            router.get(RouterPath(path), use: call)
            router.get(RouterPath("/hooks/info" + path.dropFirst("/hooks".count)), use: info)
            router.get(RouterPath("/hooks/sample" + path.dropFirst("/hooks".count)), use: sample)
        }
    }

    /// The incoming integration the URL names, when its token is the URL's; else Rocket.Chat's 404.
    private func integration(of context: APIRequestContext) async throws -> IncomingIntegration {
        let id = Self.decoded(context.parameters.get("integrationId") ?? "")
        let token = Self.decoded(context.parameters.get("legacyToken") ?? context.parameters.get("token") ?? "")
        guard let integration = try await hooks.find(id: id), integration.accepts(token: token) else { throw Self.invalidIntegration }
        return integration
    }

    /// `GET /hooks/info/…`: `{"success":true}` for a valid id and token (enabled or not).
    @Sendable func info(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await integration(of: context)
        return .json(JSONWriter.success)
    }

    /// `GET /hooks/sample/…`: Rocket.Chat's three sample outgoing payloads (Zapier reads them to show fields).
    @Sendable func sample(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await integration(of: context)
        let now = RocketChatDate.now()
        var writer = JSONWriter()
        writer.beginArray()
        for number in 1...3 {
            if number > 1 { writer.elementSeparator() }
            writer.beginObject()
            writer.field("token", string: RandomToken.id(count: 24))
            writer.field("channel_id", string: RandomToken.id())
            writer.field("channel_name", string: "general")
            writer.field("timestamp", string: now)
            writer.field("user_id", string: RandomToken.id())
            writer.field("user_name", string: "rocket.cat")
            writer.field("text", string: "Sample text \(number)")
            writer.field("trigger_word", string: "Sample")
            writer.endObject()
        }
        writer.endArray()
        return .json(writer.buffer)
    }

    static let invalidIntegration = RocketChatError(status: .notFound, error: "Invalid integration id or token provided.")
    static let disabled = RocketChatError(status: .serviceUnavailable, error: "Service Unavailable")
    static let overrideDisabled = RocketChatError.failure("overriding destination channel is disabled for this integration")

    /// `POST`/`GET /hooks/…`: posts the body's message. Each call is counted by outcome
    /// (`integrations_incoming_calls_total{outcome}`) and logged at `info` with the integration's id, never its token.
    @Sendable func call(_ request: Request, context: APIRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var integrationId = "-"
        func finish(_ outcome: String, status: Int) {
            Counter(label: "integrations_incoming_calls_total", dimensions: [("outcome", outcome)]).increment()
            let elapsed = ContinuousClock.now - started
            context.logger.info(
                "incoming webhook call",
                metadata: [
                    "integration": "\(integrationId)", "outcome": "\(outcome)", "status": "\(status)",
                    "ms": "\(elapsed.wholeMilliseconds)",
                ]
            )
        }
        do {
            let integration = try await integration(of: context)
            integrationId = integration.id
            let (response, outcome) = try await post(request, context: context, integration: integration)
            finish(outcome, status: response.status.code)
            return response
        } catch let error as RocketChatError {
            finish(Self.outcome(of: error), status: error.status.code)
            throw error
        } catch {
            finish("error", status: 500)
            throw error
        }
    }

    /// The outcome label of a call that failed with `error`.
    static func outcome(of error: RocketChatError) -> String {
        switch error {
        case invalidIntegration: "invalid-token"
        case disabled: "disabled"
        case overrideDisabled: "override-refused"
        case scriptRefusal: "script"
        default: error.status == .badRequest ? "refused" : error.status == .contentTooLarge ? "too-large" : "error"
        }
    }

    static let scriptRefusal = RocketChatError.failure("error-running-script")

    /// The call of an integration whose token matched: its answer and outcome label.
    private func post(
        _ request: Request,
        context: APIRequestContext,
        integration: IncomingIntegration
    ) async throws -> (Response, String) {
        guard integration.enabled else { throw Self.disabled }
        if integration.hasScript {
            // Scripts do not run yet: Rocket.Chat's answer to a script that fails, rather than the raw body posted.
            context.logger.warning(
                "an incoming integration has a script, which this service does not run yet; answered error-running-script",
                metadata: ["integration": "\(integration.id)"]
            )
            throw Self.scriptRefusal
        }
        let body = try await IncomingHookBody.read(request, context: context)
        if IncomingHookMessage.isEmpty(body) { return (.json(JSONWriter.success), "empty") }
        let hook = IncomingHookMessage(body, integrationId: integration.id)
        if hook.requestedChannels != nil && !integration.overrideDestinationChannelEnabled { throw Self.overrideDisabled }
        guard let userId = integration.userId else { throw RocketChatError.failure("error-invalid-user") }
        let hops = request.headers[Self.hopsHeader].flatMap { Int($0) }.map { min(max($0, 0), 100) } ?? 0
        let message = WebhookMessage(
            hook.payload,
            defaults: .init(alias: integration.alias ?? "", avatar: integration.avatar ?? "", emoji: integration.emoji ?? "")
        )
        let channels = hook.requestedChannels ?? integration.channels
        var responses: [(channel: String, outcome: Result<MessageRepository.Posted, RocketChatError>)] = []
        for channel in channels.isEmpty ? [nil] : channels.map(Optional.some) {
            let new = MessageRepository.NewMessage(
                id: RandomToken.id(),
                message: message,
                textLength: hook.payload.textLength,
                longestAttachmentText: hook.payload.longestAttachmentText,
                newSelfDirectRoomId: RandomToken.id()
            )
            let outcome = try await messages.post(asUserId: userId, to: channel.map(MessageDestination.init(channel:)), new, hops: hops)
            let result = Self.result(outcome, message: message)
            if !hook.separateResponse, case .failure(let error) = result { throw error }
            responses.append((channel ?? "", result))
        }
        // Every destination was posted into (the first failure was thrown), or each has its entry.
        guard hook.separateResponse else { return (.json(JSONWriter.success), "posted") }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("responses")
        writer.beginArray()
        for (index, response) in responses.enumerated() {
            if index > 0 { writer.elementSeparator() }
            writer.beginObject()
            writer.field("channel", string: response.channel)
            switch response.outcome {
            case .success(let posted): writer.field("message", raw: posted.message)
            case .failure(let error): writer.field("error", string: error.error)
            }
            writer.endObject()
        }
        writer.endArray()
        let anyPosted = responses.contains { if case .success = $0.outcome { true } else { false } }
        writer.field("success", raw: anyPosted ? "true" : "false")
        writer.endObject()
        return (.json(status: anyPosted ? .ok : .badRequest, writer.buffer), anyPosted ? "posted" : "refused")
    }

    /// A destination's outcome as Rocket.Chat's incoming route reports a failure: `failure(error || message)`, the
    /// error's code.
    static func result(_ outcome: Outcome<MessageRepository.Posted>, message: WebhookMessage) -> Result<MessageRepository.Posted, RocketChatError> {
        switch outcome {
        case .done(let posted): return .success(posted)
        case .rejected(let error): return .failure(.failure(error.error))
        case .refused(let refusal):
            let text: String =
                switch refusal {
                case .unauthenticated, .invalidUser: "error-invalid-user"
                case .messageTooLong: "error-message-size-exceeded"
                case .noDestination: "unknown-error"
                case .invalidChannel: "invalid-channel"
                case .directMessageNotAllowed, .joinNotAllowed, .notAllowed: "error-not-allowed"
                case .roomArchived: "room_is_archived"
                case .roomReadOnly: "You can't send messages because the room is readonly."
                case .impersonationNotAllowed: "Not enough permission"
                case .invalidMessage: (message.fieldsError ?? message.contentError)?.message ?? "error-invalid-message"
                default: "unknown-error"
                }
            return .failure(.failure(text))
        }
    }

    /// A path segment as `decodeURIComponent` reads it (undecodable: as it came).
    static func decoded(_ segment: String) -> String {
        segment.removingPercentEncoding ?? segment
    }
}

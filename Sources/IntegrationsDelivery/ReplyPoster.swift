import IntegrationsCore
import IntegrationsStore

/// Posts the message of a successful webhook reply (`{"text": …}` or `{"attachments": …}`) as Rocket.Chat's
/// `triggerHandler.sendMessage` does: as the integration's "post as" user (or, with `impersonateUser`, the user
/// who triggered it, when found), into the reply's `channel`, else the integration's `targetRoom`, else the room of
/// the event, with `bot: {i: <integration id>}` and the integration's alias, avatar and emoji as defaults.
/// The message is one hop deeper than the event's, so that replies answering replies stop (see
/// `MessageStatements.maximumReplyHops`), and never triggers its own integration.
struct ReplyPoster: Sendable {
    let messages: MessageRepository

    /// What the event tells about where and as whom to answer.
    struct Origin: Sendable {
        /// The room of the event (`data.channel_id`) and its type (`room.t`), if it had one.
        var roomId: String?
        var roomType: String?
        /// The user who caused the event (`data.user_name`).
        var username: String?
        /// How many replies deep the event's message was.
        var hops: Int

        init(data: JSONValue, context: JSONValue) {
            roomId = data["channel_id"]?.stringValue
            roomType = context["room"]?["t"]?.stringValue
            username = data["user_name"]?.stringValue
            hops =
                context["hops"].flatMap { value -> Int? in
                    if case .number(let literal) = value { return Int(literal) }
                    return nil
                } ?? 0
        }
    }

    /// The step and fields the attempt's record ends with: `url-response-sent-message` with `resultMessage`, or
    /// `after-http-call-send-message-failed` (both `finished`).
    func post(_ reply: JSONValue, integration: OutgoingIntegration, origin: Origin) async -> (step: String, fields: [(key: String, value: JSONValue)])
    {
        let failed = (step: "after-http-call-send-message-failed", fields: [(key: "finished", value: JSONValue.bool(true))])
        let payload = WebhookMessage.Payload(
            text: reply["text"]?.stringValue,
            alias: reply["alias"]?.stringValue,
            emoji: reply["emoji"]?.stringValue,
            avatar: reply["avatar"]?.stringValue,
            attachments: reply["attachments"]?.arrayValue,
            parseUrls: reply["parseUrls"]?.boolValue,
            bot: .object([("i", .string(integration.id))]),
            groupable: reply["groupable"]?.boolValue,
            tmid: reply["tmid"]?.stringValue
        )
        let message = WebhookMessage(
            payload,
            defaults: .init(alias: integration.alias ?? "", avatar: integration.avatar ?? "", emoji: integration.emoji ?? "")
        )
        let new = MessageRepository.NewMessage(
            id: RandomToken.id(),
            message: message,
            textLength: payload.textLength,
            longestAttachmentText: payload.longestAttachmentText,
            newSelfDirectRoomId: RandomToken.id()
        )
        var posters: [String] = []
        if integration.impersonateUser, let username = origin.username { posters.append(username) }
        if let username = integration.username { posters.append(username) }
        let named = (reply["channel"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? integration.targetRoom
        var destinations: [(MessageDestination, direct: Bool)] = []
        if let named, !named.isEmpty { destinations.append((MessageDestination(channel: named), named.hasPrefix("@"))) }
        if let room = origin.roomId { destinations.append((.room(idOrName: room, mustBeDirect: false), origin.roomType == "d")) }
        posters: for poster in posters {
            for (destination, direct) in destinations {
                let outcome: Outcome<MessageRepository.Posted>
                do {
                    outcome = try await messages.post(asUsername: poster, to: destination, new, hops: origin.hops + 1)
                } catch {
                    return failed
                }
                switch outcome {
                case .done(let posted):
                    let document = (try? JSONParser.parse(posted.message)) ?? .object([])
                    let channel = (direct ? "@" : "#") + (document["rid"]?.stringValue ?? "")
                    return (
                        "url-response-sent-message",
                        [
                            ("resultMessage", .array([.object([("channel", .string(channel)), ("message", document)])])),
                            ("finished", .bool(true)),
                        ]
                    )
                case .refused(.unauthenticated):
                    // No such user: the next poster (Rocket.Chat falls back from the impersonated user).
                    continue posters
                case .refused(.invalidChannel):
                    // The named room does not exist: Rocket.Chat falls back to the event's room.
                    continue
                case .refused, .rejected:
                    return failed
                }
            }
            return failed
        }
        return failed
    }
}

import Hummingbird
import NIOCore

/// `GET /api/info`: the Rocket.Chat version whose behaviour this service reproduces, as clients probe it
/// (unauthenticated callers get `major.minor`, as from Rocket.Chat).
struct InfoController: Sendable {
    /// The Rocket.Chat generation emulated: 7.x/8.x error bodies, and 8.7's `integrations.clearHistory`.
    static let rocketChatVersion = "8.7"

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/info") { _, _ in
            Response.json(ByteBuffer(string: #"{"version":"\#(Self.rocketChatVersion)","success":true}"#))
        }
    }
}

import Hummingbird
import IntegrationsCore
import NIOCore

/// Reads a request body up to the context's limit and parses it with the strict ``JSONParser``.
enum RequestBody {
    /// The body as JSON: 413 over the limit, 400 naming the problem when it is not JSON. Whether it is the
    /// object a route expects is the route's rule (``object(_:)``), checked after authentication as Rocket.Chat
    /// checks it.
    static func json(_ request: Request, context: APIRequestContext) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw RocketChatError.bodyTooLarge(limit: context.maxUploadSize)
        }
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw RocketChatError.invalidBody("The request body is not valid JSON: \(error)")
        }
    }

    /// `value` when it is a JSON object; else a 400 saying so.
    static func object(_ value: JSONValue) throws(RocketChatError) -> JSONValue {
        guard case .object = value else { throw .invalidBody("The request body must be a JSON object") }
        return value
    }
}

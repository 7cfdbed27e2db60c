import Hummingbird
import IntegrationsCore
import NIOCore

/// Reads a request body up to the context's limit and parses it with the strict ``JSONParser``.
enum RequestBody {
    /// The body as a JSON object; 413 over the limit, 400 naming the problem when it is not a JSON object.
    static func jsonObject(_ request: Request, context: APIRequestContext) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw RocketChatError.bodyTooLarge(limit: context.maxUploadSize)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw RocketChatError.invalidBody("The request body is not valid JSON: \(error)")
        }
        guard case .object = value else { throw RocketChatError.invalidBody("The request body must be a JSON object") }
        return value
    }
}

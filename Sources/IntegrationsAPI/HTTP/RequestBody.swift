import Foundation
import Hummingbird
import NIOCore

/// Reads a request body up to the context's limit and parses it as a JSON object.
enum RequestBody {
    static func jsonObject(_ request: Request, context: APIRequestContext) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw RocketChatError.bodyTooLarge(limit: context.maxUploadSize)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] else {
            throw RocketChatError.invalidBody("The request body must be a JSON object")
        }
        return object
    }
}

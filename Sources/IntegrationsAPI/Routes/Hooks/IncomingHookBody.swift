import Foundation
import Hummingbird
import IntegrationsCore
import NIOCore

/// An incoming webhook's body as Rocket.Chat reads it: JSON; or, sent as `application/x-www-form-urlencoded`, the
/// JSON of its one `payload` field (Slack's format), the JSON of the whole body when the form has one key and it is
/// not `payload` (a JSON text sent with curl's default content type parses as a form of one key) or when it is no
/// form at all, and otherwise the form's fields. A `GET` has none.
enum IncomingHookBody {
    static func read(_ request: Request, context: APIRequestContext) async throws -> JSONValue {
        guard request.method == .post else { return .object([]) }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw RocketChatError.bodyTooLarge(limit: context.maxUploadSize)
        }
        let bytes = Array(buffer.readableBytesView)
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if contentType == "application/x-www-form-urlencoded" {
            // Not a form at all (`curl -d '{"text":"100% done"}'`): the JSON it was meant to be.
            guard let text = String(validating: bytes, as: UTF8.self), let form = try? QueryParameters(text) else { return try json(bytes) }
            if let payload = form.all("payload").last { return try json(Array(payload.utf8)) }
            if form.keys.count == 1 { return try json(bytes) }
            return .object(form.keys.sorted().map { (key: $0, value: JSONValue.string(form.all($0).last ?? "")) })
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .object([]) }
        return try json(bytes)
    }

    /// A JSON object; another JSON value or invalid JSON is Rocket.Chat's 400 with the parser's message.
    private static func json(_ bytes: [UInt8]) throws(RocketChatError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .failure("\(error)")
        }
        guard case .object = value else { throw .failure("The request body must be a JSON object") }
        return value
    }
}

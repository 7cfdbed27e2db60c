import Hummingbird
import HummingbirdCore
import IntegrationsCore
import NIOCore

@testable import IntegrationsAPI

/// The error a validation throws, or `nil` when it accepts its input.
func thrownError<Value>(_ validation: () throws(RocketChatError) -> Value) -> RocketChatError? {
    do {
        _ = try validation()
        return nil
    } catch {
        return error
    }
}

/// A JSON text of a test as a ``JSONValue`` (the test's own literal, so a syntax error is the test's bug).
func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

extension RocketChatError {
    /// The body `render()` writes, as text.
    var renderedBody: String {
        get async throws { try await render().bodyText() }
    }
}

extension Response {
    /// The bytes of the body, as text.
    func bodyText() async throws -> String {
        let collector = BodyCollector()
        try await body.write(collector)
        return String(buffer: collector.buffer)
    }
}

/// A ``ResponseBodyWriter`` that keeps what is written (a class, since `finish` consumes the writer).
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

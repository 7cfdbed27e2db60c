/// How one HTTP attempt of a delivery ended, as the engine saw it.
public enum AttemptResult: Sendable, Equatable {
    /// The endpoint answered (a status and the body, up to the size limit).
    case response(Response)
    /// No answer: refused before connecting (address policy), connection failure, timeout, reset, a body over
    /// the size limit. Rocket.Chat records these as the `httpError` of its `after-http-call` step.
    case failed(Failure)

    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]
        /// The `Content-Type` header, if any.
        public var contentType: String?
        /// A `Retry-After` header's delay, when it was a number of seconds or an HTTP date in the future.
        public var retryAfter: Duration?

        public init(status: Int, body: [UInt8], contentType: String? = nil, retryAfter: Duration? = nil) {
            self.status = status
            self.body = body
            self.contentType = contentType
            self.retryAfter = retryAfter
        }
    }

    public struct Failure: Sendable, Equatable, Error {
        /// A short kind, as Node's errors carry (`ECONNREFUSED`, `ETIMEDOUT`, `ERR_ADDRESS_REFUSED`, …).
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }

        /// The error as Rocket.Chat stores it in `httpError` (a serialized JavaScript `Error`).
        public var document: JSONValue {
            .object([("name", .string("FetchError")), ("message", .string(message)), ("code", .string(code))])
        }
    }
}

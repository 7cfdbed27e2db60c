import Foundation
import NIOHTTP1

/// What a ``WebhookSink`` does with a request, chosen by its path and query (any method).
enum WebhookSinkRoute: Sendable {
    /// Answers at once.
    case answer(WebhookSinkReply)
    /// Answers ``WebhookSinkReply/ok`` after a delay.
    case slow(Duration)
    /// Answers ``WebhookSinkReply/ok`` once the sink's hold gate is open.
    case hold
    /// Never answers; the connection stays open until the client closes it or the sink shuts down.
    case hang
    /// Closes the connection after the request head, without answering.
    case reset
    /// Answers 200 with a JSON body of this many bytes, streamed.
    case big(bytes: Int)
    /// Answers 200 with its head at once, then one byte of a 1 KiB body per interval.
    case trickle(Duration)

    /// `/slow` waits at most this long.
    static let longestDelayMilliseconds = 60_000
    /// `/big` answers at most this many MiB.
    static let largestBigBody = 1024

    /// The route of a request target (`/status/410?empty=1`). Query values are percent-decoded; a `+` stays a
    /// `+` (a JSON body in `/text?body=` may hold one), and a malformed escape leaves the value as sent.
    init(uri: String) {
        let target = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = target.first.map(String.init) ?? ""
        let query = target.count > 1 ? Self.parameters(target[1]) : [:]
        switch path {
        case "/ok":
            self = .answer(.ok)
        case "/text":
            self = .answer(.json(.ok, query["body"] ?? #"{"text":"hi from the sink"}"#))
        case "/empty200":
            self = .answer(.empty(.ok))
        case "/429":
            let retryAfter = query["retry_after"].map(Self.headerValue) ?? "1"
            self = .answer(.json(.tooManyRequests, #"{"error":"too many requests"}"#, headers: [("Retry-After", retryAfter)]))
        case "/slow":
            let milliseconds = query["ms"].flatMap { Int($0) } ?? 1000
            self = .slow(.milliseconds(min(max(milliseconds, 0), Self.longestDelayMilliseconds)))
        case "/hold":
            self = .hold
        case "/hang":
            self = .hang
        case "/reset":
            self = .reset
        case "/big":
            let mebibytes = min(max(query["mb"].flatMap { Int($0) } ?? 1, 0), Self.largestBigBody)
            self = .big(bytes: mebibytes << 20)
        case "/trickle":
            let milliseconds = query["ms"].flatMap { Int($0) } ?? 500
            self = .trickle(.milliseconds(min(max(milliseconds, 1), Self.longestDelayMilliseconds)))
        case "/redirect":
            self = .answer(.empty(.found, headers: [("Location", query["to"].map(Self.headerValue) ?? "/ok")]))
        default:
            if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)), (200...599).contains(code) {
                let status = HTTPResponseStatus(statusCode: code)
                // 204 and 304 never carry a body.
                let empty = query["empty"] == "1" || code == 204 || code == 304
                self = .answer(empty ? .empty(status) : .json(status, #"{"error":"status \#(code)"}"#))
            } else {
                self = .answer(.json(.notFound, #"{"error":"no such route in the webhook sink"}"#))
            }
        }
    }

    private static func parameters(_ query: Substring) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            parameters[name.removingPercentEncoding ?? name] = value.removingPercentEncoding ?? value
        }
        return parameters
    }

    /// A value from the query, without the control characters that would end the header line.
    private static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }
}

/// A complete answer of the sink: status, headers and a body small enough to hold in memory.
struct WebhookSinkReply: Sendable {
    let status: HTTPResponseStatus
    let headers: [(name: String, value: String)]
    let body: String

    /// 200 `{"ok":true}`.
    static let ok = json(.ok, #"{"ok":true}"#)

    static func json(_ status: HTTPResponseStatus, _ body: String, headers: [(name: String, value: String)] = []) -> WebhookSinkReply {
        WebhookSinkReply(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    static func empty(_ status: HTTPResponseStatus, headers: [(name: String, value: String)] = []) -> WebhookSinkReply {
        WebhookSinkReply(status: status, headers: headers, body: "")
    }
}

import Foundation
import NIOHTTP1
import Testing

/// The sink the outgoing-webhook tests deliver to, driven by a client of its own over loopback.
@Suite(.timeLimit(.minutes(1)))
struct WebhookSinkTests {
    private static func send(
        _ sink: WebhookSink,
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        body: String = ""
    ) async throws -> LoopbackHTTPClient.Response {
        try await LoopbackHTTPClient.send(host: sink.host, port: sink.port, method, path, headers: headers, body: body)
    }

    /// Polls `condition` every 10 ms for at most 5 s.
    private static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func okAnswersJSON() async throws {
        try await WebhookSink.run { sink in
            let response = try await Self.send(sink, .POST, "/ok", body: #"{"text":"hello"}"#)
            #expect(response.status == .ok)
            #expect(response.text == #"{"ok":true}"#)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("content-length") == "11")
        }
    }

    @Test func empty200HasAnEmptyBody() async throws {
        try await WebhookSink.run { sink in
            let response = try await Self.send(sink, .POST, "/empty200", body: "{}")
            #expect(response.status == .ok)
            #expect(response.body.isEmpty)
            #expect(response.header("content-length") == "0")
        }
    }

    @Test func statusAnswersThatStatusWithABodyOrWithout() async throws {
        try await WebhookSink.run { sink in
            let full = try await Self.send(sink, .POST, "/status/410", body: "{}")
            #expect(full.status == .gone)
            #expect(full.text == #"{"error":"status 410"}"#)
            let empty = try await Self.send(sink, .POST, "/status/410?empty=1", body: "{}")
            #expect(empty.status == .gone)
            #expect(empty.body.isEmpty)
            #expect(empty.header("content-length") == "0")
            #expect(try await Self.send(sink, .GET, "/status/503").status == .serviceUnavailable)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await WebhookSink.run { sink in
            let response = try await Self.send(sink, .POST, "/429?retry_after=7", body: "{}")
            #expect(response.status == .tooManyRequests)
            #expect(response.header("retry-after") == "7")
            #expect(!response.body.isEmpty)
        }
    }

    @Test func textAnswersAMessageOrTheGivenBody() async throws {
        try await WebhookSink.run { sink in
            let standard = try await Self.send(sink, .POST, "/text", body: "{}")
            #expect(standard.text == #"{"text":"hi from the sink"}"#)
            #expect(standard.header("content-type") == "application/json")
            let reply = #"{"text":"1e+2 & 100%","attachments":[{"title":"ü"}]}"#
            let encoded = try #require(reply.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let given = try await Self.send(sink, .POST, "/text?body=\(encoded)", body: "{}")
            #expect(given.status == .ok)
            #expect(given.text == reply)
            #expect(given.header("content-type") == "application/json")
        }
    }

    @Test func bigStreamsThatManyMebibytesOfJSON() async throws {
        try await WebhookSink.run { sink in
            let response = try await Self.send(sink, .GET, "/big?mb=1")
            #expect(response.status == .ok)
            #expect(response.body.count == 1 << 20)
            #expect(response.header("content-length") == String(1 << 20))
            #expect(response.text.hasPrefix(#"{"big":"aaa"#) && response.text.hasSuffix(#"aaa"}"#))
        }
    }

    @Test func redirectSlowResetAndUnknownPaths() async throws {
        try await WebhookSink.run { sink in
            let target = try #require(sink.url("/ok").addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let redirect = try await Self.send(sink, .GET, "/redirect?to=\(target)")
            #expect(redirect.status == .found)
            #expect(redirect.header("location") == sink.url("/ok"))

            let started = ContinuousClock.now
            #expect(try await Self.send(sink, .GET, "/slow?ms=300").text == #"{"ok":true}"#)
            #expect(ContinuousClock.now - started >= .milliseconds(300))

            await #expect(throws: (any Error).self) { try await Self.send(sink, .POST, "/reset", body: "{}") }

            let missing = try await Self.send(sink, .GET, "/nowhere")
            #expect(missing.status == .notFound)
            #expect(!missing.body.isEmpty)
            #expect(sink.requests.map(\.path) == ["/redirect?to=\(target)", "/slow?ms=300", "/reset", "/nowhere"])
        }
    }

    @Test func recordsMethodPathHeadersAndBody() async throws {
        try await WebhookSink.run { sink in
            let before = ContinuousClock.now
            let beforeDate = Date()
            let response = try await Self.send(
                sink,
                .POST,
                "/hooks/one?token=abc",
                headers: [("Content-Type", "application/json"), ("X-Test", "recorded")],
                body: #"{"text":"hello"}"#
            )
            #expect(response.status == .notFound)
            let requests = await sink.waitForRequests(count: 1, timeout: .seconds(5))
            let request = try #require(requests.first)
            #expect(requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.path == "/hooks/one?token=abc")
            #expect(request.header("x-test") == "recorded")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.text == #"{"text":"hello"}"#)
            #expect(request.arrival >= before && request.arrival <= ContinuousClock.now)
            #expect(request.date.timeIntervalSince(beforeDate) > -1 && request.date.timeIntervalSinceNow < 1)
        }
    }

    @Test func waitForRequestsReturnsWhatThereIsAfterTheTimeout() async throws {
        try await WebhookSink.run { sink in
            let started = ContinuousClock.now
            #expect(await sink.waitForRequests(count: 1, timeout: .milliseconds(200)).isEmpty)
            #expect(ContinuousClock.now - started >= .milliseconds(200))
            _ = try await Self.send(sink, .GET, "/ok")
            #expect(await sink.waitForRequests(count: 1, timeout: .seconds(5)).count == 1)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnectionUntilClose() async throws {
        try await WebhookSink.run { sink in
            #expect(sink.connectionCount == 0)
            try await LoopbackHTTPClient.withConnection(host: sink.host, port: sink.port) { connection in
                #expect(try await connection.send(.POST, "/ok", body: "{}").status == .ok)
                #expect(try await connection.send(.POST, "/status/500", body: "{}").status == .internalServerError)
                let last = try await connection.send(.POST, "/ok", headers: [("Connection", "close")], body: "{}")
                #expect(last.header("connection") == "close")
                // The sink closed it: the write fails, or the read finds the end.
                await #expect(throws: (any Error).self) { try await connection.send(.GET, "/ok") }
            }
            #expect(sink.connectionCount == 1)
            _ = try await Self.send(sink, .GET, "/ok")
            #expect(sink.connectionCount == 2)
            #expect(sink.requests.map(\.connection) == [1, 1, 1, 2])
        }
    }

    @Test func holdAnswersOnlyOnceReleased() async throws {
        try await WebhookSink.run { sink in
            try await withThrowingTaskGroup { group in
                group.addTask {
                    let response = try await Self.send(sink, .POST, "/hold", body: "{}")
                    #expect(response.status == .ok)
                    #expect(response.text == #"{"ok":true}"#)
                }
                #expect(try await Self.eventually { sink.heldCount == 1 })
                // Still held a while later: nothing answered it.
                try await Task.sleep(for: .milliseconds(100))
                #expect(sink.heldCount == 1)
                sink.release()
                try await group.waitForAll()
            }
            #expect(sink.heldCount == 0)
            // The gate stays open: a later hold is answered at once, until it is closed again.
            #expect(try await Self.send(sink, .GET, "/hold").status == .ok)
            sink.closeHoldGate()
            try await withThrowingTaskGroup { group in
                group.addTask {
                    let response = try await Self.send(sink, .GET, "/hold")
                    #expect(response.status == .ok)
                }
                #expect(try await Self.eventually { sink.heldCount == 1 })
                sink.release()
                try await group.waitForAll()
            }
        }
    }

    @Test func sinksOnTwoLoopbackAddressesAtOnce() async throws {
        try await WebhookSink.run(host: "127.0.0.2") { second in
            try await WebhookSink.run(host: "127.0.0.3") { third in
                #expect(second.url("/ok") == "http://127.0.0.2:\(second.port)/ok")
                #expect(third.url("/status/500?empty=1") == "http://127.0.0.3:\(third.port)/status/500?empty=1")
                let fromSecond = try await Self.send(second, .POST, "/ok", body: "2")
                let fromThird = try await Self.send(third, .POST, "/ok", body: "3")
                #expect(fromSecond.status == .ok && fromThird.status == .ok)
                #expect(second.requests.map(\.text) == ["2"])
                #expect(third.requests.map(\.text) == ["3"])
            }
        }
    }

    @Test func refusesToBindOutsideLoopback() async throws {
        for host in ["0.0.0.0", "192.0.2.1", "::", "localhost"] {
            await #expect(throws: WebhookSink.Failure.self) { _ = try await WebhookSink.start(host: host) }
        }
    }

    @Test func hangEndsWhenTheClientGivesUp() async throws {
        try await WebhookSink.run { sink in
            let sender = Task { try await Self.send(sink, .POST, "/hang", body: "{}") }
            #expect(await sink.waitForRequests(count: 1, timeout: .seconds(5)).count == 1)
            #expect(sink.openConnectionCount == 1)
            // Cancelling the client's read closes its connection, as a sender's timeout does.
            sender.cancel()
            await #expect(throws: (any Error).self) { try await sender.value }
            let closed = try await Self.eventually { sink.openConnectionCount == 0 }
            #expect(closed)
        }
    }

    @Test func shutdownReturnsPromptlyWithRequestsOpen() async throws {
        let sink = try await WebhookSink.start()
        try await withThrowingTaskGroup { group in
            for path in ["/hang", "/hold", "/slow?ms=60000"] {
                group.addTask {
                    await #expect(throws: (any Error).self, "\(path)") { try await Self.send(sink, .POST, path, body: "{}") }
                }
            }
            #expect(await sink.waitForRequests(count: 3, timeout: .seconds(5)).count == 3)
            #expect(try await Self.eventually { sink.heldCount == 1 })
            let started = ContinuousClock.now
            await sink.shutdown()
            #expect(ContinuousClock.now - started < .seconds(2))
            try await group.waitForAll()
        }
        #expect(sink.connectionCount == 3)
    }
}

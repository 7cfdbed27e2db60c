import IntegrationsCore
import Testing

/// Rocket.Chat's response handling and retry branch (`triggerHandler.executeTriggerUrl`), case by case.
@Suite struct AttemptDecisionTests {
    static func integration(_ extra: String = "") throws -> OutgoingIntegration {
        let text = #"{"_id":"i1","type":"webhook-outgoing","enabled":true,"token":"t"\#(extra)}"#
        return try #require(OutgoingIntegration(document: try JSONParser.parse(text)))
    }

    static let retrying = #","retryFailedCalls":true,"retryCount":4,"retryDelay":"powers-of-ten""#

    static func response(_ status: Int, _ body: String, type: String? = "application/json", retryAfter: Duration? = nil) -> AttemptResult {
        .response(.init(status: status, body: Array(body.utf8), contentType: type, retryAfter: retryAfter))
    }

    @Test func aSuccessfulReplyEndsAtAfterHttpCallWithTheBodyAsAJSONStringLiteral() throws {
        let decision = AttemptDecision.after(Self.response(200, #"{"ok":true}"#), tries: 0, integration: try Self.integration())
        #expect(decision.step == "after-http-call")
        #expect(JSONValue.object(decision.fields) == .object([("httpResult", .string(#""{\"ok\":true}""#))]))
        #expect(decision.next == .finish)
        #expect(decision.reply == nil)
    }

    @Test func aReplyWithTextOrAttachmentsIsAMessageToPost() throws {
        let text = AttemptDecision.after(
            Self.response(201, #"{"text":"hi"}"#, type: "application/json; charset=utf-8"),
            tries: 0,
            integration: try Self.integration()
        )
        #expect(text.reply?["text"] == .string("hi"))
        let attachments = AttemptDecision.after(
            Self.response(202, #"{"attachments":[{}]}"#, type: "text/javascript"),
            tries: 0,
            integration: try Self.integration()
        )
        #expect(attachments.reply != nil)
        // Not parsed without a JSON content type, and falsy text is no message.
        #expect(
            AttemptDecision.after(Self.response(200, #"{"text":"hi"}"#, type: "text/plain"), tries: 0, integration: try Self.integration()).reply
                == nil
        )
        #expect(AttemptDecision.after(Self.response(200, #"{"text":""}"#), tries: 0, integration: try Self.integration()).reply == nil)
        #expect(AttemptDecision.after(Self.response(200, "not json"), tries: 0, integration: try Self.integration()).reply == nil)
    }

    @Test func anEmpty200IsAFailureAsInRocketChatUnlessEvery2xxSucceeds() throws {
        let integration = try Self.integration(Self.retrying)
        let strict = AttemptDecision.after(Self.response(200, ""), tries: 0, integration: integration)
        #expect(strict.step == "going-to-retry-1")
        #expect(strict.next == .retry(after: .milliseconds(100)))
        #expect(JSONValue.object(strict.fields) == .object([("httpResult", .string(#""""#)), ("error", .bool(true))]))
        let lenient = AttemptDecision.after(
            Self.response(204, ""),
            tries: 0,
            integration: integration,
            options: .init(everySuccessStatusSucceeds: true)
        )
        #expect(lenient.step == "after-http-call")
        #expect(lenient.next == .finish)
    }

    @Test func a410WithABodyDisablesAnd500WithABodyStops() throws {
        let integration = try Self.integration(Self.retrying)
        let gone = AttemptDecision.after(Self.response(410, "gone"), tries: 0, integration: integration)
        #expect(gone.step == "after-process-http-status-410")
        #expect(gone.next == .disableIntegration)
        let broken = AttemptDecision.after(Self.response(500, "boom"), tries: 0, integration: integration)
        #expect(broken.step == "after-process-http-status-500")
        #expect(broken.next == .finish)
        // Empty bodies take the retry branch instead.
        #expect(AttemptDecision.after(Self.response(410, ""), tries: 0, integration: integration).step == "going-to-retry-1")
        #expect(AttemptDecision.after(Self.response(500, ""), tries: 0, integration: integration).step == "going-to-retry-1")
    }

    @Test func retriesFollowThePolicyUntilTheCountIsSpent() throws {
        let integration = try Self.integration(Self.retrying)
        let delays = (0..<4).map { AttemptDecision.after(Self.response(404, "x"), tries: $0, integration: integration) }
        #expect(delays.map(\.step) == ["going-to-retry-1", "going-to-retry-2", "going-to-retry-3", "going-to-retry-4"])
        #expect(
            delays.map(\.next) == [
                .retry(after: .milliseconds(100)), .retry(after: .seconds(1)), .retry(after: .seconds(10)), .retry(after: .seconds(100)),
            ]
        )
        #expect(AttemptDecision.after(Self.response(404, "x"), tries: 4, integration: integration).step == "too-many-retries")
        let twos = try Self.integration(#","retryFailedCalls":true,"retryCount":3,"retryDelay":"Powers-Of-Two""#)
        #expect(AttemptDecision.after(Self.response(404, "x"), tries: 1, integration: twos).next == .retry(after: .seconds(4)))
        let increments = try Self.integration(#","retryFailedCalls":true,"retryCount":3,"retryDelay":"increments-of-two""#)
        #expect(AttemptDecision.after(Self.response(404, "x"), tries: 2, integration: increments).next == .retry(after: .seconds(6)))
    }

    @Test func withoutRetriesOrWithAnInvalidDelayTheDeliveryStops() throws {
        #expect(
            AttemptDecision.after(Self.response(404, "x"), tries: 0, integration: try Self.integration()).step == "failed-and-not-configured-to-retry"
        )
        let noCount = try Self.integration(#","retryFailedCalls":true,"retryCount":0,"retryDelay":"powers-of-ten""#)
        #expect(AttemptDecision.after(Self.response(404, "x"), tries: 0, integration: noCount).step == "failed-and-not-configured-to-retry")
        let invalid = AttemptDecision.after(
            Self.response(404, "x"),
            tries: 0,
            integration: try Self.integration(#","retryFailedCalls":true,"retryCount":2,"retryDelay":"fibonacci""#)
        )
        #expect(invalid.step == "failed-and-retry-delay-is-invalid")
        #expect(invalid.fields.last?.value == .string("Error: The integration's retryDelay setting is invalid."))
        let noDelay = try Self.integration(#","retryFailedCalls":true,"retryCount":2,"retryDelay":"""#)
        #expect(AttemptDecision.after(Self.response(404, "x"), tries: 0, integration: noDelay).step == "too-many-retries")
    }

    @Test func networkErrorsAreRecordedAndEndTheDeliveryUnlessTheyRetry() throws {
        let failure = AttemptResult.Failure(code: "ECONNREFUSED", message: "request to http://127.0.0.1:9/ failed, reason: connect ECONNREFUSED")
        let integration = try Self.integration(Self.retrying)
        let recorded = AttemptDecision.after(.failed(failure), tries: 0, integration: integration)
        #expect(recorded.step == "after-http-call")
        #expect(recorded.next == .finish)
        #expect(recorded.fields.map(\.key) == ["httpError", "httpResult"])
        #expect(recorded.fields[1].value == .string("null"))
        let retried = AttemptDecision.after(.failed(failure), tries: 0, integration: integration, options: .init(retryNetworkErrors: true))
        #expect(retried.step == "going-to-retry-1")
        #expect(retried.fields.first?.key == "httpError")
    }

    @Test func retryAfterOf429And503LengthensTheDelayUpToTheLimit() throws {
        let integration = try Self.integration(Self.retrying)
        let hinted = AttemptDecision.after(Self.response(429, "slow down", retryAfter: .seconds(2)), tries: 0, integration: integration)
        #expect(hinted.next == .retry(after: .seconds(2)))
        let capped = AttemptDecision.after(
            Self.response(503, "later", retryAfter: .seconds(7200)),
            tries: 0,
            integration: integration,
            options: .init(retryAfterLimit: .seconds(60))
        )
        #expect(capped.next == .retry(after: .seconds(60)))
        // The policy's delay when it is longer, the hint ignored on other statuses or when turned off.
        #expect(
            AttemptDecision.after(Self.response(429, "x", retryAfter: .seconds(2)), tries: 2, integration: integration).next
                == .retry(after: .seconds(10))
        )
        #expect(
            AttemptDecision.after(Self.response(404, "x", retryAfter: .seconds(2)), tries: 0, integration: integration).next
                == .retry(after: .milliseconds(100))
        )
        let ignored = AttemptDecision.after(
            Self.response(429, "x", retryAfter: .seconds(2)),
            tries: 0,
            integration: integration,
            options: .init(retryAfterLimit: nil)
        )
        #expect(ignored.next == .retry(after: .milliseconds(100)))
    }
}

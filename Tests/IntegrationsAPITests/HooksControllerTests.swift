import IntegrationsCore
import IntegrationsStore
import Testing

@testable import IntegrationsAPI

/// The incoming webhook route's pure parts: how its outcomes are labelled and how the store's refusals are answered.
@Suite struct HooksControllerTests {
    @Test func everyFailureHasItsOutcomeLabel() {
        #expect(HooksController.outcome(of: HooksController.invalidIntegration) == "invalid-token")
        #expect(HooksController.outcome(of: HooksController.disabled) == "disabled")
        #expect(HooksController.outcome(of: HooksController.overrideDisabled) == "override-refused")
        #expect(HooksController.outcome(of: HooksController.scriptRefusal) == "script")
        #expect(HooksController.outcome(of: .failure("invalid-channel")) == "refused")
        #expect(HooksController.outcome(of: .bodyTooLarge(limit: 10)) == "too-large")
        #expect(HooksController.outcome(of: .internalError) == "error")
    }

    @Test func refusalsAreAnsweredWithRocketChatsCodes() {
        let message = WebhookMessage(.init(text: "x"))
        func answer(_ refusal: Refusal) -> String? {
            if case .failure(let error) = HooksController.result(.refused(refusal), message: message) { return error.error }
            return nil
        }
        #expect(answer(.invalidChannel) == "invalid-channel")
        #expect(answer(.notAllowed) == "error-not-allowed")
        #expect(answer(.joinNotAllowed) == "error-not-allowed")
        #expect(answer(.roomArchived) == "room_is_archived")
        #expect(answer(.messageTooLong) == "error-message-size-exceeded")
        #expect(answer(.noDestination) == "unknown-error")
        if case .failure(let error) = HooksController.result(.rejected(MeteorError("error-invalid-room", reason: "Invalid room")), message: message) {
            #expect(error.error == "error-invalid-room")
        } else {
            Issue.record("a rejection must fail")
        }
    }

    @Test func pathSegmentsAreDecodedAsDecodeURIComponentDoes() {
        #expect(HooksController.decoded("a%2Fb%20c") == "a/b c")
        #expect(HooksController.decoded("plain") == "plain")
        #expect(HooksController.decoded("bad%zz") == "bad%zz")
    }
}

import HTTPTypes
import IntegrationsCore
import IntegrationsStore
import Testing

@testable import IntegrationsAPI

/// How routes answer the store's outcomes.
@Suite struct RefusalAnswersTests {
    @Test func unauthenticatedIs401AndForbiddenIs403ByDefault() {
        #expect(RefusalAnswers.standard.answer(to: .unauthenticated) == .notLoggedIn)
        #expect(RefusalAnswers.standard.answer(to: .unauthenticated)?.status == .unauthorized)
        #expect(RefusalAnswers.standard.answer(to: .forbidden) == .permissionRequired)
        #expect(RefusalAnswers.standard.answer(to: .forbidden)?.status == .forbidden)
    }

    @Test func otherRefusalsHaveNoDefaultAnswer() {
        for refusal in Refusal.allCases where refusal != .unauthenticated && refusal != .forbidden {
            #expect(RefusalAnswers.standard.answer(to: refusal) == nil, "\(refusal)")
        }
    }

    @Test func aRouteNamesItsOwnAnswers() {
        let answers: RefusalAnswers = [.notFound: .failure("The integration does not exists."), .forbidden: .failure("not-authorized")]
        #expect(answers.answer(to: .notFound) == .failure("The integration does not exists."))
        #expect(answers.answer(to: .forbidden) == .failure("not-authorized"))
        // Overriding one default keeps the other.
        #expect(answers.answer(to: .unauthenticated) == .notLoggedIn)
        #expect(answers.answer(to: .duplicateName) == nil)
    }

    @Test func theFirstAnswerOfARepeatedRefusalWins() {
        let answers: RefusalAnswers = [.notFound: .failure("first"), .notFound: .failure("second")]
        #expect(answers.answer(to: .notFound) == .failure("first"))
    }

    @Test func aDoneOutcomeIsItsValue() throws {
        #expect(try Outcome<String>.done("document").value() == "document")
    }

    @Test func aRefusalIsThrownAsTheRoutesAnswer() {
        #expect(throws: RocketChatError.notLoggedIn) { try Outcome<Int>.refused(.unauthenticated).value() }
        #expect(throws: RocketChatError.permissionRequired) { try Outcome<Int>.refused(.forbidden).value() }
        #expect(throws: RocketChatError.failure("No integration found.")) {
            try Outcome<Int>.refused(.notFound).value([.notFound: .failure("No integration found.")])
        }
    }

    @Test func aRefusalTheRouteDoesNotNameIsAnUnexpectedRefusal() throws {
        let error = #expect(throws: UnexpectedRefusal.self) { try Outcome<Int>.refused(.notMember).value() }
        #expect(error?.refusal == .notMember)
        #expect(error?.description == "the store refused with not-member, which the route does not answer")
    }

    @Test func aRejectionIsTheMethodsMeteorError() async throws {
        let rejection = MeteorError("error-invalid-channel", "Invalid channel", method: "addIncomingIntegration")
        let error = try #require(throws: RocketChatError.self) { try Outcome<Int>.rejected(rejection).value() }
        #expect(
            try await error.renderedBody
                == #"{"success":false,"error":"Invalid channel [error-invalid-channel]","errorType":"error-invalid-channel","details":{"method":"addIncomingIntegration"}}"#
        )
    }

    @Test func theIntegrationRoutesAnswersAreRocketChats() {
        #expect(IntegrationsController.getRefusals.answer(to: .notFound) == .failure("The integration does not exists."))
        #expect(IntegrationsController.getRefusals.answer(to: .forbidden) == .failure("not-authorized"))
        #expect(IntegrationsController.getRefusals.answer(to: .unauthenticated) == .notLoggedIn)
        #expect(IntegrationsController.updateRefusals.answer(to: .notFound) == .failure("No integration found."))
        #expect(
            IntegrationsController.clearHistoryRefusals.answer(to: .invalidIntegration)
                == .meteor("error-invalid-integration", reason: "Invalid integration", method: "clearIntegrationHistory")
        )
    }
}

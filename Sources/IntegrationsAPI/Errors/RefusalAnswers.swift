import IntegrationsStore

/// How a route answers the store's ``Refusal``s: `unauthenticated` is always Rocket.Chat's 401 and `forbidden`
/// its 403 (`error-unauthorized`) unless the route names another answer. A refusal the route does not name is a
/// disagreement between the route and its store method, a bug: logged and answered 500.
struct RefusalAnswers: ExpressibleByDictionaryLiteral, Sendable {
    private let answers: [Refusal: RocketChatError]

    init(dictionaryLiteral elements: (Refusal, RocketChatError)...) {
        answers = Dictionary(elements, uniquingKeysWith: { first, _ in first })
    }

    private init(answers: [Refusal: RocketChatError]) {
        self.answers = answers
    }

    /// These answers with more (one given here replaces one of these for the same refusal).
    func merging(_ more: [(Refusal, RocketChatError)]) -> RefusalAnswers {
        RefusalAnswers(answers: answers.merging(more, uniquingKeysWith: { _, added in added }))
    }

    /// The answers of a route whose store method refuses only `unauthenticated` and `forbidden`.
    static let standard: RefusalAnswers = [:]

    func answer(to refusal: Refusal) -> RocketChatError? {
        if let answer = answers[refusal] { return answer }
        return switch refusal {
        case .unauthenticated: .notLoggedIn
        case .forbidden: .permissionRequired
        default: nil
        }
    }
}

/// A refusal the route did not expect from its store method (see ``RefusalAnswers``).
struct UnexpectedRefusal: Error, CustomStringConvertible {
    let refusal: Refusal
    var description: String { "the store refused with \(refusal.rawValue), which the route does not answer" }
}

extension Outcome {
    /// The value of a use case that was done; otherwise Rocket.Chat's answer: the route's answer to the
    /// refusal, or the method's error of a rejection.
    func value(_ answers: RefusalAnswers = .standard) throws -> Value {
        switch self {
        case .done(let value):
            return value
        case .refused(let refusal):
            guard let answer = answers.answer(to: refusal) else { throw UnexpectedRefusal(refusal: refusal) }
            throw answer
        case .rejected(let error):
            throw RocketChatError.meteor(error)
        }
    }
}

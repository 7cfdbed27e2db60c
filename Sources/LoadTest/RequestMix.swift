import Foundation

/// What kinds of `integrations.get` a load test sends, and in which proportions.
public struct RequestMix: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// An admin gets a random integration with `historyCount=0`: answered 200.
        case admin
        /// An admin gets a random integration with the default history (10 records): answered 200.
        case adminHistory = "admin-history"
        /// A user with only the "own" permissions gets one of their integrations (half the time) or a random
        /// one: answered 200, or 400 `not-authorized` when someone else created it.
        case own
        /// An admin asks for an id no integration has: answered 400 `The integration does not exists.`.
        case unknown
    }

    /// The kinds with their weights, in the order given.
    public let weights: [(kind: Kind, weight: Int)]
    private let total: Int

    /// Mostly admin gets, a fifth with history, and a tenth each of own-permission users and unknown ids.
    public static let standard = RequestMix(unchecked: [(.admin, 60), (.adminHistory, 20), (.own, 10), (.unknown, 10)])

    private init(unchecked weights: [(kind: Kind, weight: Int)]) {
        self.weights = weights
        self.total = weights.reduce(0) { $0 + $1.weight }
    }

    /// Parses `admin=60,admin-history=20,own=10,unknown=10`; a kind without a weight counts 1 (`admin` alone is all admin gets).
    public init(parsing text: String) throws(LoadTestError) {
        var weights: [(kind: Kind, weight: Int)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard let kind = Kind(rawValue: String(name)) else {
                throw .invalidOption("unknown request kind '\(name)' in --mix (kinds: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !weights.contains(where: { $0.kind == kind }) else { throw .invalidOption("--mix names '\(name)' twice") }
            var weight = 1
            if parts.count == 2 {
                guard let value = Int(parts[1].trimmingCharacters(in: .whitespaces)), (0...1_000_000).contains(value) else {
                    throw .invalidOption("the weight of '\(name)' in --mix must be an integer from 0 to 1000000")
                }
                weight = value
            }
            weights.append((kind, weight))
        }
        guard weights.contains(where: { $0.weight > 0 }) else { throw .invalidOption("--mix needs a kind with a weight above 0") }
        self.init(unchecked: weights)
    }

    /// Picks a kind in proportion to the weights.
    func pick(using generator: inout some RandomNumberGenerator) -> Kind {
        var ticket = Int.random(in: 0..<total, using: &generator)
        for (kind, weight) in weights {
            if ticket < weight { return kind }
            ticket -= weight
        }
        return weights[weights.count - 1].kind
    }

    public var description: String { weights.map { "\($0.kind.rawValue)=\($0.weight)" }.joined(separator: ",") }

    public static func == (lhs: RequestMix, rhs: RequestMix) -> Bool {
        lhs.weights.elementsEqual(rhs.weights) { $0.kind == $1.kind && $0.weight == $1.weight }
    }
}

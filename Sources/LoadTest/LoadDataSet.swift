import IntegrationsCore

/// The load test's reproducible data set: who exists, with which token and permissions, and which integration
/// each user created, so that the load generator knows the right answer to every request it sends.
///
/// Users `benchuser00000001`…`benchuser00000100` log in with token `bench-token-<n>`: users 1–10 are admins,
/// 11–55 hold only the "own" integration permissions, 56–100 are plain users. Integrations
/// `benchint000000001`… alternate outgoing (odd) and incoming (even), ~1 KB each; integration `n` was created by
/// user `11 + n % 90`. The first ``historyIntegrations`` outgoing integrations carry ``historyPerIntegration``
/// history records each, shaped like the example of Rocket.Chat's API page.
public struct LoadDataSet: Sendable, Equatable {
    public static let userCount = 100
    public static let admins = 1...10
    public static let ownPermissionUsers = 11...55

    /// How many integrations exist.
    public var integrations: Int
    /// How many outgoing integrations carry history records.
    public var historyIntegrations: Int
    /// The history records of each of them.
    public var historyPerIntegration: Int

    /// The default set: 10,000 integrations; every outgoing one (5,000) with 10 history records.
    public init(integrations: Int = 10_000, historyIntegrations: Int? = nil, historyPerIntegration: Int = 10) {
        self.integrations = integrations
        self.historyIntegrations = historyIntegrations ?? (integrations + 1) / 2
        self.historyPerIntegration = historyPerIntegration
    }

    /// The limits the options are checked against: enough to stay a benchmark, small enough to seed in minutes.
    public static let integrationLimit = 1...10_000_000
    public static let historyPerIntegrationLimit = 0...100

    public static func integrationID(_ number: Int) -> String { "benchint" + number.zeroPadded(toWidth: 9) }
    /// An id no integration has (the "unknown" requests).
    public static func unknownIntegrationID(_ number: Int) -> String { "benchnone" + number.zeroPadded(toWidth: 9) }
    public static func userID(_ number: Int) -> String { "benchuser" + number.zeroPadded(toWidth: 8) }
    public static func token(_ number: Int) -> String { "bench-token-\(number)" }

    /// The user who created integration `number`: one of the own-permission or plain users.
    public static func creator(ofIntegration number: Int) -> Int { 11 + number % 90 }

    public static func isOutgoing(_ number: Int) -> Bool { number % 2 == 1 }

    /// How many history records integration `number` has.
    public func storedHistory(ofIntegration number: Int) -> Int {
        guard Self.isOutgoing(number), number <= 2 * historyIntegrations - 1 else { return 0 }
        return historyPerIntegration
    }
}

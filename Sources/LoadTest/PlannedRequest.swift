/// One request the load test sends, with the answer the data set says it must get.
struct PlannedRequest: Sendable {
    enum Expectation: Sendable, Equatable {
        /// 200 with `integration._id` equal to `id` and `history` holding `history` records (no `history` key
        /// for `nil`: what `historyCount=0` answers).
        case integration(id: String, history: Int?)
        /// 400 with `error` equal to the message.
        case failure(error: String)

        var status: Int {
            switch self {
            case .integration: 200
            case .failure: 400
            }
        }
    }

    let kind: RequestMix.Kind
    /// Path and query, after the target's path prefix.
    let uri: String
    let userID: String
    let token: String
    let expectation: Expectation

    /// The default `historyCount` of `integrations.get`.
    static let defaultHistoryCount = 10

    /// Draws a request of `kind` against `dataSet`.
    static func draw(
        _ kind: RequestMix.Kind,
        in dataSet: LoadDataSet,
        prefix: String,
        using generator: inout some RandomNumberGenerator
    ) -> PlannedRequest {
        let path = prefix + "/api/v1/integrations.get?integrationId="
        switch kind {
        case .admin, .adminHistory:
            let user = Int.random(in: LoadDataSet.admins, using: &generator)
            let number = Int.random(in: 1...dataSet.integrations, using: &generator)
            let id = LoadDataSet.integrationID(number)
            let withHistory = kind == .adminHistory
            return PlannedRequest(
                kind: kind,
                uri: path + id + (withHistory ? "" : "&historyCount=0"),
                userID: LoadDataSet.userID(user),
                token: LoadDataSet.token(user),
                expectation: .integration(id: id, history: withHistory ? min(defaultHistoryCount, dataSet.storedHistory(ofIntegration: number)) : nil)
            )
        case .own:
            let user = Int.random(in: LoadDataSet.ownPermissionUsers, using: &generator)
            var number = Int.random(in: 1...dataSet.integrations, using: &generator)
            // Half the time one of the user's own: n with 11 + n % 90 == user, i.e. n = 90k + (user - 11), n ≥ 1.
            let remainder = user - 11
            let lowest = remainder == 0 ? 1 : 0
            let highest = (dataSet.integrations - remainder) / 90
            if Bool.random(using: &generator), highest >= lowest {
                number = 90 * Int.random(in: lowest...highest, using: &generator) + remainder
            }
            let id = LoadDataSet.integrationID(number)
            let owned = LoadDataSet.creator(ofIntegration: number) == user
            return PlannedRequest(
                kind: kind,
                uri: path + id + "&historyCount=0",
                userID: LoadDataSet.userID(user),
                token: LoadDataSet.token(user),
                expectation: owned ? .integration(id: id, history: nil) : .failure(error: "not-authorized")
            )
        case .unknown:
            let user = Int.random(in: LoadDataSet.admins, using: &generator)
            let number = Int.random(in: 1...dataSet.integrations, using: &generator)
            return PlannedRequest(
                kind: kind,
                uri: path + LoadDataSet.unknownIntegrationID(number) + "&historyCount=0",
                userID: LoadDataSet.userID(user),
                token: LoadDataSet.token(user),
                expectation: .failure(error: "The integration does not exists.")
            )
        }
    }
}

/// SplitMix64: a fast generator with a seed, so that a run's sequence of requests is reproducible.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The query of `integrations.get`, validated as Rocket.Chat's route does: `integrationId` (required),
/// `createdBy` (a falsy one is ignored) and `historyCount` (an integer from 0 to 100; 10 when absent).
struct IntegrationGetQuery: Equatable {
    /// Integration ids are opaque, but longer ones cannot exist (Rocket.Chat uses 17 or 24 characters).
    static let maximumIdLength = 128
    static let defaultHistoryCount = 10
    static let maximumHistoryCount = 100

    let integrationId: String
    let createdBy: String?
    let historyCount: Int

    init(_ query: String?) throws(RocketChatError) {
        let parameters = try QueryParameters.parse(query)
        integrationId = try Self.single("integrationId", in: parameters, required: true) ?? ""
        guard !integrationId.isEmpty else { throw .failure("The query parameter \"integrationId\" is required.") }
        let creator = try Self.single("createdBy", in: parameters, required: false)
        createdBy = creator?.isEmpty == false ? creator : nil
        if let count = try Self.single("historyCount", in: parameters, required: false) {
            guard count.utf8.count <= 3, count.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let value = Int(count), value <= Self.maximumHistoryCount
            else {
                throw .invalidParams("historyCount must be an integer from 0 to \(Self.maximumHistoryCount)")
            }
            historyCount = value
        } else {
            historyCount = Self.defaultHistoryCount
        }
    }

    private static func single(_ name: String, in parameters: QueryParameters, required: Bool) throws(RocketChatError) -> String? {
        let value = try parameters.single(name, maximumLength: maximumIdLength)
        if value == nil, required { throw .invalidParams("must have required property '\(name)'") }
        return value
    }
}

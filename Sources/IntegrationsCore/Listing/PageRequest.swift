/// Rocket.Chat's pagination (`getPaginationItems`): `offset`, and `count` defaulting to 50, capped at 100,
/// with `0` meaning "everything" (`API_Allow_Infinite_Count`).
public struct PageRequest: Sendable, Equatable {
    public static let defaultCount = 50
    public static let maximumCount = 100

    public let offset: Int
    /// How many items at most; `nil` for all of them.
    public let limit: Int?

    public init(offset: Int = 0, count: Int? = nil) {
        self.offset = offset
        switch count {
        case nil: limit = Self.defaultCount
        case 0?: limit = nil
        case let count?: limit = min(count, Self.maximumCount)
        }
    }
}

/// A run-time parameter (`SET name = value`) that a pool's connections set for their whole session.
public struct SessionParameter: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

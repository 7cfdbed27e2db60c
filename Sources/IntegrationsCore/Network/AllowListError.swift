/// An entry of an address allow-list setting that is neither an IP address nor a CIDR block.
public struct AllowListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry as written.
    public let entry: String

    public init(entry: String) {
        self.entry = entry
    }

    public var description: String {
        "allow-list entry \"\(entry)\" is not an IP address or CIDR block (such as 127.0.0.1, 10.0.0.0/8 or ::1/128)"
    }
}

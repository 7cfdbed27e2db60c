/// Why a load test could not start.
public enum LoadTestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option is out of range or malformed.
    case invalidOption(String)
    /// No connection to the target could be opened.
    case cannotConnect(String)

    public var description: String {
        switch self {
        case .invalidOption(let message): message
        case .cannotConnect(let message): "cannot connect: \(message)"
        }
    }
}

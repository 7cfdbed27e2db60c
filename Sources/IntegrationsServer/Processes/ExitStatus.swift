#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended, from `waitpid`: the workers, which the supervisor reaps, and the PostgreSQL tools
/// that ``ChildProcess`` runs.
enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(code: Int32)
    case killed(signal: Int32)

    /// Decodes `waitpid`'s status word, as `WIFSIGNALED`, `WTERMSIG` and `WEXITSTATUS` do (C macros, which Swift
    /// does not import): the low 7 bits hold the signal that killed the process, 0 when it exited, and the
    /// next 8 bits its exit code.
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7f
        self = signal == 0 ? .exited(code: (waitStatus >> 8) & 0xff) : .killed(signal: signal)
    }

    var isSuccess: Bool { self == .exited(code: 0) }

    var description: String {
        switch self {
        case .exited(let code):
            return "exit status \(code)"
        case .killed(let signal):
            let name = strsignal(signal).map { String(cString: $0) } ?? "signal"
            return "killed by signal \(signal) (\(name))"
        }
    }
}

import CGlibcExtensions
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts worker processes: this executable again (`posix_spawn` of `/proc/self/exe`, never `fork` of a running
/// Swift process), with the shared listening socket as descriptor 3 and its end of a control socket as
/// descriptor 4, and nothing else inherited but standard input, output and error.
struct WorkerLauncher: Sendable {
    /// The descriptor numbers a worker finds its sockets at.
    static let listenerDescriptor: CInt = 3
    static let controlDescriptor: CInt = 4

    /// The executable the workers run: this very binary, even if its file has been replaced since.
    var executable = "/proc/self/exe"
    /// `--config`, passed on so that a worker reads the file the supervisor validated.
    var configFile: String?
    /// Environment variables set for the workers on top of the supervisor's own (the database to use).
    var environment: [String: String] = [:]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A started worker: its pid and the supervisor's end of its control socket (non-blocking, close-on-exec).
    struct Started: Sendable {
        let pid: pid_t
        let control: CInt
    }

    func spawn(slot: Int, generation: Int, listener: CInt) throws(Failure) -> Started {
        var pair: [CInt] = [-1, -1]
        guard socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw Failure(description: "socketpair: \(String(cString: strerror(errno)))")
        }
        let (supervisorEnd, workerEnd) = (pair[0], pair[1])
        // Copies above the target numbers, so that placing them at 3 and 4 cannot overwrite one another.
        let listenerCopy = fcntl(listener, F_DUPFD_CLOEXEC, 10)
        let workerEndCopy = fcntl(workerEnd, F_DUPFD_CLOEXEC, 10)
        close(workerEnd)
        defer {
            if listenerCopy >= 0 { close(listenerCopy) }
            if workerEndCopy >= 0 { close(workerEndCopy) }
        }
        guard listenerCopy >= 0, workerEndCopy >= 0 else {
            close(supervisorEnd)
            throw Failure(description: "cannot duplicate descriptors: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, listenerCopy, Self.listenerDescriptor)
        posix_spawn_file_actions_adddup2(&actions, workerEndCopy, Self.controlDescriptor)
        cglibc_spawn_addclosefrom(&actions, Self.controlDescriptor + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The supervisor ignores some signals; a worker starts with the default dispositions and an empty mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGTTIN, SIGTTOU, SIGCHLD] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var arguments = [
            "integrations", "worker",
            "--listen-fd", "\(Self.listenerDescriptor)",
            "--control-fd", "\(Self.controlDescriptor)",
            "--index", "\(slot)",
            "--generation", "\(generation)",
        ]
        if let configFile { arguments += ["--config", configFile] }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in self.environment { environment[key] = value }

        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in cArguments { free(argument) }
            for variable in cEnvironment { free(variable) }
        }
        var pid = pid_t()
        let error = posix_spawn(&pid, executable, &actions, &attributes, cArguments, cEnvironment)
        guard error == 0 else {
            close(supervisorEnd)
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(error)))")
        }
        _ = fcntl(supervisorEnd, F_SETFL, fcntl(supervisorEnd, F_GETFL) | O_NONBLOCK)
        return Started(pid: pid, control: supervisorEnd)
    }
}

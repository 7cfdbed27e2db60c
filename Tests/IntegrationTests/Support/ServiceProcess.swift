import CGlibcExtensions
import Foundation
import IntegrationsCore
import Synchronization

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// The `integrations` executable run as a child process (in a process group of its own, so that a failed test
/// can kill it with all its workers), its output collected line by line.
final class ServiceProcess: Sendable {
    let pid: pid_t
    private let output = Mutex<[String]>([])
    private let exitStatus = Mutex<IntegrationsServer.ExitStatus?>(nil)

    /// The executable `swift build` put next to this test binary.
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["INTEGRATIONS_EXECUTABLE"] { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("integrations").path
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `integrations <arguments>` (or another program) with the test environment plus `environment`, in
    /// `workingDirectory` (default: the tests' own).
    init(executable: String = ServiceProcess.executable, _ arguments: [String], environment: [String: String], workingDirectory: String? = nil) throws
    {
        var pipe: [CInt] = [-1, -1]
        guard cglibc_pipe_cloexec(&pipe) == 0 else { throw Failure(description: "pipe2 failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        if let workingDirectory { cglibc_spawn_addchdir(&actions, workingDirectory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        var merged = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "CONFIG_FILE", "PORT", "WORKERS", "MIGRATIONS_DIR"] { merged[name] = nil }
        // Tests send traffic only to loopback: no outgoing webhooks unless a test asks for them, and then only
        // to loopback addresses written as such (no DNS), whatever integrations the database holds.
        merged["OUTGOING_ENABLED"] = "false"
        for (key, value) in environment { merged[key] = value }
        merged["OUTGOING_RESOLVE_HOSTS"] = "false"
        merged["OUTGOING_ONLY_ALLOWED_CIDRS"] = "true"
        // Blocks inside 127.0.0.0/8 only (`127.0.0.0/1` starts with "127." and is half the Internet).
        let loopback = CIDR("127.0.0.0/8")
        let allowed = (merged["OUTGOING_ALLOWED_CIDRS"] ?? "").split { $0 == "," || $0 == " " }.compactMap { CIDR(String($0)) }
            .filter { block in block.prefixLength >= 8 && loopback?.contains(block.network) == true }
        merged["OUTGOING_ALLOWED_CIDRS"] = allowed.map(\.description).joined(separator: ",")
        let cArguments = ([executable] + arguments).map { strdup($0) } + [nil]
        let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in cArguments { free(argument) }
            for variable in cEnvironment { free(variable) }
        }
        var pid = pid_t()
        let error = posix_spawn(&pid, executable, &actions, &attributes, cArguments, cEnvironment)
        close(pipe[1])
        guard error == 0 else {
            close(pipe[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(error)))")
        }
        self.pid = pid
        let reader = pipe[0]
        let thread = Thread { [self] in collect(from: reader) }
        thread.start()
    }

    private func collect(from descriptor: CInt) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                output.withLock { $0.append(line) }
            }
        }
        close(descriptor)
    }

    /// Everything the service printed so far.
    var lines: [String] { output.withLock { $0 } }

    /// Waits for a line (printed at any time so far) satisfying `predicate`.
    @discardableResult
    func waitForLine(timeout: Duration = .seconds(60), after skip: Int = 0, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.dropFirst(skip).first(where: predicate) { return line }
            if hasExited { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "no such line within \(timeout); output:\n" + lines.suffix(60).joined(separator: "\n"))
    }

    /// The HTTP port from the start-up banner.
    func waitForPort() async throws -> Int {
        let line = try await waitForLine { $0.contains("listening on port") }
        guard let port = line.split(separator: " ").first(where: { Int($0) != nil }).flatMap({ Int($0) }) else {
            throw Failure(description: "no port in \(line)")
        }
        return port
    }

    func send(_ signal: CInt) {
        kill(pid, signal)
    }

    var hasExited: Bool {
        if exitStatus.withLock({ $0 }) != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        exitStatus.withLock { $0 = ExitStatus(waitStatus: status) }
        return true
    }

    /// Waits for the process to exit; how it ended, or nil on timeout.
    func waitForExit(timeout: Duration) async throws -> IntegrationsServer.ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if hasExited, let status = exitStatus.withLock({ $0 }) { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Kills the whole process group (the service and its workers); for the end of every test.
    func killGroup() {
        kill(-pid, SIGKILL)
        _ = hasExited
    }

    /// The pids of the workers the supervisor reported ready, in order.
    var readyWorkers: [pid_t] {
        lines.compactMap { line in
            guard let range = line.range(of: #"\(pid (\d+)\) ready"#, options: .regularExpression) else { return nil }
            return pid_t(line[range].filter(\.isNumber))
        }
    }

    /// Whether a process with this pid still exists (and is not a zombie of ours).
    static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

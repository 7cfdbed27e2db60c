import CGlibcExtensions
import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with `posix_spawn` (never `fork` of this multithreaded process), in a new
/// session so that a terminal's Ctrl-C reaches the service but not, say, the PostgreSQL server it started.
///
/// Not swift-subprocess: it only waits asynchronously, and ``runBlocking(_:)`` must work where no task can run
/// (an `atexit` handler called from a thread of Swift's cooperative pool, as the test runner's exit is).
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments[0]` (looked up in `PATH`) on NIO's blocking pool, so that waiting for it never holds
    /// a thread of Swift's cooperative pool; returns how it ended and its combined output.
    static func run(_ arguments: [String]) async throws -> (status: ExitStatus, output: String) {
        try await NIOThreadPool.singleton.runIfActive { try runBlocking(arguments) }
    }

    /// Runs a program and throws with its output when it exits non-zero.
    @discardableResult
    static func check(_ arguments: [String]) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try checkBlocking(arguments) }
    }

    /// ``run(_:)`` on the calling thread, for the few places that cannot wait asynchronously (process exit).
    static func runBlocking(_ arguments: [String]) throws -> (status: ExitStatus, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("integrations-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, cglibc_spawn_setsid_flag())

        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { for argument in cArguments { free(argument) } }

        var pid = pid_t()
        let spawnError = posix_spawnp(&pid, arguments[0], &actions, &attributes, cArguments, environ)
        guard spawnError == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(spawnError)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed for \(arguments[0])") }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (ExitStatus(waitStatus: status), output)
    }

    @discardableResult
    static func checkBlocking(_ arguments: [String]) throws -> String {
        let (status, output) = try runBlocking(arguments)
        guard status.isSuccess else {
            throw Failure(description: "\(arguments.joined(separator: " ")) ended with \(status): \(output.suffix(2000))")
        }
        return output
    }
}

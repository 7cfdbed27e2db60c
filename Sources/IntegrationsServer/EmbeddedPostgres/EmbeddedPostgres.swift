import Foundation
import IntegrationsCore
import LibPQ
import Logging
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster the service creates and runs itself from the PostgreSQL binaries on the machine,
/// listening on loopback only, with a generated superuser password (SCRAM) kept beside the cluster.
///
/// PostgreSQL refuses to run as root; when the service runs as root (as in CI and containers) every
/// PostgreSQL program runs as the `postgres` user through `runuser`, and the cluster folder belongs to it.
public struct EmbeddedPostgres: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The database the service uses inside the cluster.
    public static let databaseName = "integrations"

    /// `<DATA_DIR>/postgres`.
    public let clusterDirectory: URL
    public let port: Int
    /// The server's `max_connections` (PostgreSQL's default, 100, unless given).
    public let maxConnections: Int?
    private let binDirectory: URL
    private let runAsUser: String?
    private let logger: Logger

    /// Locates the PostgreSQL binaries (on `PATH`, else the newest `/usr/lib/postgresql/*/bin`).
    public init(dataDirectory: String, port: Int, maxConnections: Int? = nil, logger: Logger) throws {
        let base = URL(fileURLWithPath: dataDirectory, isDirectory: true).standardizedFileURL
        clusterDirectory = base.appendingPathComponent("postgres", isDirectory: true)
        self.port = port
        self.maxConnections = maxConnections
        self.logger = logger
        guard let bin = Self.findBinaries() else {
            throw Failure(
                description:
                    "no PostgreSQL binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/*/bin; install PostgreSQL or set DATABASE_URL"
            )
        }
        binDirectory = bin
        if geteuid() == 0 {
            guard getpwnam("postgres") != nil else {
                throw Failure(description: "running as root, but there is no 'postgres' user to run PostgreSQL as; create one or set DATABASE_URL")
            }
            runAsUser = "postgres"
        } else {
            runAsUser = nil
        }
    }

    private var passwordFile: URL { clusterDirectory.deletingLastPathComponent().appendingPathComponent("postgres.password") }
    /// The pid of the process that started the running cluster and will stop it.
    private var ownerFile: URL { clusterDirectory.deletingLastPathComponent().appendingPathComponent("postgres.owner") }

    /// A connection string for the service's database in the running cluster.
    public var conninfo: String {
        get throws {
            let password = try String(contentsOf: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return "host=127.0.0.1 port=\(port) user=postgres password=\(password) dbname=\(Self.databaseName) connect_timeout=5"
        }
    }

    /// Creates the cluster when it does not exist, starts it unless it already runs, and creates the
    /// service's database. Returns whether this process now owns the server (and so should stop it).
    public func start() async throws -> Bool {
        try await createClusterIfNeeded()
        if try await isRunning() {
            try await createDatabaseIfNeeded()
            // A cluster left running by a service that died without stopping it is adopted, so that this
            // one stops it; one whose starter still runs (a serving process, while an admin command runs) is not.
            if let owner = try? String(contentsOf: ownerFile, encoding: .utf8), let pid = pid_t(owner), Self.isAlive(pid) {
                logger.info("embedded PostgreSQL already running", metadata: ["cluster": "\(clusterDirectory.path)", "owner": "\(pid)"])
                return false
            }
            logger.info("adopting the running embedded PostgreSQL", metadata: ["cluster": "\(clusterDirectory.path)"])
            try String(getpid()).write(to: ownerFile, atomically: true, encoding: .utf8)
            return true
        }
        var options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        if let maxConnections { options += " -c max_connections=\(maxConnections)" }
        let serverLog = clusterDirectory.appendingPathComponent("server.log")
        do {
            try await postgres([
                "pg_ctl", "-D", clusterDirectory.path, "-l", serverLog.path, "-o", options, "-w", "-t", "60", "start",
            ])
        } catch {
            // pg_ctl only says that it stopped waiting; the reason (a taken port, say) is in the server's log.
            let log = (try? String(contentsOf: serverLog, encoding: .utf8)) ?? ""
            let lastLines = log.split(separator: "\n").suffix(5).joined(separator: " | ")
            throw Failure(description: "\(error); server log: \(lastLines)")
        }
        try String(getpid()).write(to: ownerFile, atomically: true, encoding: .utf8)
        logger.info("embedded PostgreSQL started", metadata: ["cluster": "\(clusterDirectory.path)", "port": "\(port)"])
        try await createDatabaseIfNeeded()
        return true
    }

    /// Stops the cluster (fast shutdown: open sessions are ended, nothing committed is lost).
    public func stop() async throws {
        try await NIOThreadPool.singleton.runIfActive { try stopBlocking() }
    }

    /// ``stop()`` on the calling thread, for process exit.
    func stopBlocking() throws {
        guard try ChildProcess.runBlocking(command(["pg_ctl", "-D", clusterDirectory.path, "status"])).status.isSuccess else { return }
        do {
            try ChildProcess.checkBlocking(command(["pg_ctl", "-D", clusterDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"]))
        } catch {
            throw Failure(description: "embedded PostgreSQL: \(error)")
        }
        try? FileManager.default.removeItem(at: ownerFile)
        logger.info("embedded PostgreSQL stopped", metadata: ["cluster": "\(clusterDirectory.path)"])
    }

    /// Whether the cluster's postmaster runs (`pg_ctl status`).
    public func isRunning() async throws -> Bool {
        try await ChildProcess.run(command(["pg_ctl", "-D", clusterDirectory.path, "status"])).status.isSuccess
    }

    private func createClusterIfNeeded() async throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) { return }
        // DATA_DIR stays reachable (the password file inside it is private); the cluster folder is PostgreSQL's alone.
        try fileManager.createDirectory(at: clusterDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: clusterDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let runAsUser {
            try await ChildProcess.check(["chown", runAsUser, clusterDirectory.path])
            // The server's user must reach the cluster through every parent folder.
            guard try await ChildProcess.run(["runuser", "-u", runAsUser, "--", "test", "-w", clusterDirectory.path]).status.isSuccess else {
                throw Failure(
                    description:
                        "the '\(runAsUser)' user cannot reach \(clusterDirectory.path) (a parent folder is private); "
                        + "set DATA_DIR to a folder it can reach, such as /var/lib/integrations"
                )
            }
        }
        let password = RandomToken.secret(count: 32)
        let initPasswordFile = clusterDirectory.deletingLastPathComponent().appendingPathComponent(".initdb-password")
        try password.write(to: initPasswordFile, atomically: true, encoding: .utf8)
        defer { try? fileManager.removeItem(at: initPasswordFile) }
        if let runAsUser { try await ChildProcess.check(["chown", runAsUser, initPasswordFile.path]) }
        logger.info("creating embedded PostgreSQL cluster", metadata: ["cluster": "\(clusterDirectory.path)"])
        try await postgres([
            "initdb", "-D", clusterDirectory.path, "-U", "postgres", "--pwfile", initPasswordFile.path,
            "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8",
        ])
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile.path, 0o600)
    }

    private func createDatabaseIfNeeded() async throws {
        let maintenance = try conninfo.replacingOccurrences(of: "dbname=\(Self.databaseName)", with: "dbname=postgres")
        let pool = ConnectionPool(
            configuration: .init(conninfo: maintenance, minimumConnections: 0, maximumConnections: 1, catalogue: []),
            logger: logger
        )
        defer { pool.shutdown() }
        let name = Self.databaseName
        try await pool.withSession { session in
            let exists = try session.execute(sql: "SELECT 1 FROM pg_database WHERE datname = $1", [name]).rowCount == 1
            // CREATE DATABASE takes no parameters; the name is a constant of this type.
            if !exists { try session.executeScript("CREATE DATABASE \(name)") }
        }
    }

    @discardableResult
    private func postgres(_ arguments: [String]) async throws -> String {
        do {
            return try await ChildProcess.check(command(arguments))
        } catch {
            throw Failure(description: "embedded PostgreSQL: \(error)")
        }
    }

    private func command(_ arguments: [String]) -> [String] {
        var arguments = arguments
        arguments[0] = binDirectory.appendingPathComponent(arguments[0]).path
        if let runAsUser { return ["runuser", "-u", runAsUser, "--"] + arguments }
        return arguments
    }

    /// Whether a process runs (a zombie, killed but not yet reaped, does not).
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: afterName)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    private static func findBinaries() -> URL? {
        let fileManager = FileManager.default
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory), isDirectory: true)
            if fileManager.isExecutableFile(atPath: candidate.appendingPathComponent("initdb").path),
                fileManager.isExecutableFile(atPath: candidate.appendingPathComponent("pg_ctl").path)
            {
                return candidate
            }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions {
            let candidate = URL(fileURLWithPath: "\(root)/\(version)/bin", isDirectory: true)
            if fileManager.isExecutableFile(atPath: candidate.appendingPathComponent("initdb").path) { return candidate }
        }
        return nil
    }
}

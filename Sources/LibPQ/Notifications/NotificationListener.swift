import CLibPQ
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PostgreSQL `LISTEN` on a connection of its own, owned by a thread of its own: calls `onNotification` for
/// every `NOTIFY` on `channel`, and once after every (re)connect, because notifications sent while it was
/// disconnected are lost and whoever listens must look for itself. Reconnects with backoff; a notification is a
/// hint, never the only way work is found.
public final class NotificationListener: Sendable {
    private let conninfo: String
    private let channel: String
    private let onNotification: @Sendable () -> Void
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    /// How long one wait on the socket lasts before the thread checks whether it should stop.
    private static let pollMilliseconds: Int32 = 250

    /// `channel` must be a plain SQL identifier (letters, digits, `_`); it is written into the `LISTEN` text.
    public init(conninfo: String, channel: String, logger: Logger, onNotification: @escaping @Sendable () -> Void) {
        precondition(channel.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) })
        self.conninfo = conninfo
        self.channel = channel
        self.logger = logger
        self.onNotification = onNotification
    }

    /// Starts the listening thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "libpq-listen"
        thread.start()
    }

    /// Stops the thread within a poll interval and closes its connection.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func run() {
        var failures = 0
        while !stopped.load(ordering: .relaxed) {
            if let connection = connect() {
                failures = 0
                onNotification()
                listen(on: connection)
                PQfinish(connection)
            } else {
                failures += 1
            }
            // 100 ms × 1.25ⁿ, at most 5 s, slept in short steps so that stop() is prompt.
            let delay = min(0.1 * pow(1.25, Double(failures)), 5)
            var slept = 0.0
            while slept < delay && !stopped.load(ordering: .relaxed) {
                usleep(50_000)
                slept += 0.05
            }
        }
    }

    private func connect() -> OpaquePointer? {
        guard let connection = PQconnectdb(conninfo) else { return nil }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard PQstatus(connection) == CONNECTION_OK else {
            logger.debug("LISTEN connection failed", metadata: ["error": "\(Session.message(of: connection))"])
            PQfinish(connection)
            return nil
        }
        let result = PQexec(connection, "LISTEN \(channel)")
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            logger.warning("LISTEN failed", metadata: ["error": "\(Session.message(of: connection))"])
            PQfinish(connection)
            return nil
        }
        return connection
    }

    /// Waits for notifications until the connection breaks or the listener stops.
    private func listen(on connection: OpaquePointer) {
        let socket = PQsocket(connection)
        guard socket >= 0 else { return }
        while !stopped.load(ordering: .relaxed) {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.pollMilliseconds)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            guard PQconsumeInput(connection) == 1, PQstatus(connection) == CONNECTION_OK else {
                logger.info("LISTEN connection lost; reconnecting", metadata: ["error": "\(Session.message(of: connection))"])
                return
            }
            var received = false
            while let notification = PQnotifies(connection) {
                received = true
                PQfreemem(notification)
            }
            if received { onNotification() }
        }
    }
}

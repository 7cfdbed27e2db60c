import HTTPTypes
import HummingbirdTesting
import IntegrationsServer
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A steady stream of requests over several keep-alive connections, as a real client sends them: a response
/// with `Connection: close` ends its connection and the next request opens a new one. Records every outcome.
final class LoadClient: Sendable {
    struct Outcome: Sendable {
        let connection: Int
        /// The status, or nil when the request failed (reset, refused, timed out).
        let status: Int?
        /// The worker that answered (`X-Worker-Pid`).
        let pid: pid_t?
        let error: String?
        /// The worker that answered the previous request on this connection: the one a failure happened on.
        let previousPid: pid_t?
    }

    private struct State {
        var outcomes: [Outcome] = []
        var stopped = false
        var openingAllowed = true
    }

    private let state = Mutex(State())
    let port: Int
    let uri: String
    let headers: HTTPFields

    init(port: Int, uri: String, headers: HTTPFields) {
        self.port = port
        self.uri = uri
        self.headers = headers
    }

    var outcomes: [Outcome] { state.withLock { $0.outcomes } }
    var failures: [Outcome] { outcomes.filter { $0.status != 200 } }

    /// From now on no new connection is opened (the ones open go on until the server closes them).
    func stopOpeningConnections() {
        state.withLock { $0.openingAllowed = false }
    }

    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// Runs `connections` loops until ``stop()``, each pausing `pause` between requests.
    func run(connections: Int, pause: Duration) async {
        await withDiscardingTaskGroup { group in
            for index in 0..<connections {
                group.addTask { await self.loop(index, pause: pause) }
            }
        }
    }

    private func loop(_ index: Int, pause: Duration) async {
        var client: TestClient?
        var previousPid: pid_t?
        while !state.withLock({ $0.stopped }) {
            if client == nil {
                let allowed = state.withLock { $0.openingAllowed }
                guard allowed else { break }
                let fresh = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10)))
                fresh.connect()
                client = fresh
                previousPid = nil
            }
            guard let current = client else { break }
            var requestHeaders = headers
            requestHeaders[.connection] = "keep-alive"
            do {
                let response = try await current.execute(.init(uri, method: .get, authority: "localhost", headers: requestHeaders))
                let pid = response.headers[HTTPServer.workerPidHeaderName].flatMap { pid_t($0) }
                record(Outcome(connection: index, status: response.status.code, pid: pid, error: nil, previousPid: previousPid))
                previousPid = pid
                if response.headers[.connection] == "close" {
                    try? await current.shutdown()
                    client = nil
                }
            } catch {
                record(Outcome(connection: index, status: nil, pid: nil, error: "\(error)", previousPid: previousPid))
                try? await current.shutdown()
                client = nil
            }
            try? await Task.sleep(for: pause)
        }
        if let client { try? await client.shutdown() }
    }

    private func record(_ outcome: Outcome) {
        state.withLock { $0.outcomes.append(outcome) }
    }
}

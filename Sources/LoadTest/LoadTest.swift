import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix

/// `integrations loadtest run`: drives authenticated `integrations.get` requests over keep-alive connections
/// against a running service and reports throughput, latency percentiles (HdrHistogram), statuses, transport
/// errors and the verification of sampled answers.
public enum LoadTest {
    public struct Options: Sendable {
        /// Where the service listens: `http://host:port` with an optional path prefix (`ROOT_URL`'s path).
        public var target: Target
        public var connections = 64
        public var duration: Duration = .seconds(10)
        /// Requests per second for the whole run (constant-rate mode); `nil` for closed loop.
        public var rate: Int?
        /// Stop after this many requests (or at the end of ``duration``, whichever comes first).
        public var requestLimit: Int?
        public var mix = RequestMix.standard
        public var dataSet = LoadDataSet()
        /// Check the body of every n-th answer of each connection (0: status only).
        public var checkEvery = 10
        /// Event loop threads of the generator.
        public var threads = 1
        public var requestTimeout: Duration = .seconds(10)
        /// Seeds the request sequences, so that two runs send the same requests.
        public var seed: UInt64 = 1

        public init(target: Target) {
            self.target = target
        }

        /// Checks every option, with messages that name the flag.
        public func validate() throws(LoadTestError) {
            guard (1...10_000).contains(connections) else { throw .invalidOption("--connections must be from 1 to 10000") }
            guard duration > .zero, duration <= .seconds(86_400) else { throw .invalidOption("--duration must be from 1 second to a day") }
            if let rate, !(1...10_000_000).contains(rate) { throw .invalidOption("--rate must be from 1 to 10000000 requests per second") }
            if let requestLimit, requestLimit < 1 { throw .invalidOption("--requests must be 1 or more") }
            guard checkEvery >= 0 else { throw .invalidOption("--check-every must be 0 or more") }
            guard (1...64).contains(threads) else { throw .invalidOption("--threads must be from 1 to 64") }
            guard requestTimeout > .zero, requestTimeout <= .seconds(600) else { throw .invalidOption("--timeout must be from 1 to 600 seconds") }
            guard LoadDataSet.integrationLimit.contains(dataSet.integrations) else {
                throw .invalidOption("--integrations must be from 1 to \(LoadDataSet.integrationLimit.upperBound)")
            }
        }
    }

    /// An `http://` address.
    public struct Target: Sendable, Equatable, CustomStringConvertible {
        public let host: String
        public let port: Int
        /// The path before `/api/v1/…`, without a trailing slash (`""` for none).
        public let pathPrefix: String

        public init(host: String, port: Int, pathPrefix: String = "") {
            self.host = host
            self.port = port
            self.pathPrefix = pathPrefix
        }

        public init(parsing text: String) throws(LoadTestError) {
            guard let components = URLComponents(string: text), components.scheme == "http",
                let host = components.host, !host.isEmpty
            else {
                throw .invalidOption("--url must be an http:// address such as http://127.0.0.1:3000 (got '\(text)')")
            }
            guard components.query == nil, components.fragment == nil, components.user == nil else {
                throw .invalidOption("--url takes no query, fragment or user (got '\(text)')")
            }
            let port = components.port ?? 80
            guard (1...65535).contains(port) else { throw .invalidOption("--url has a port out of range") }
            var path = components.percentEncodedPath
            while path.hasSuffix("/") { path.removeLast() }
            self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port, pathPrefix: path)
        }

        var hostHeader: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        public var description: String { "http://\(hostHeader)\(pathPrefix)" }
    }

    /// A look at the run so far, once a second.
    public struct Progress: Sendable {
        public let elapsed: Duration
        public let responses: Int
        /// Responses in the last second.
        public let recentRate: Double
        public let p99Milliseconds: Double
        public let unexpectedStatuses: Int
        public let errors: Int
        public let failedChecks: Int
    }

    /// Runs the load test; `progress` is called about once a second.
    public static func run(_ options: Options, progress: (@Sendable (Progress) -> Void)? = nil) async throws -> LoadTestReport {
        try options.validate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        do {
            let report = try await run(options, on: group, progress: progress)
            try await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func run(
        _ options: Options,
        on group: MultiThreadedEventLoopGroup,
        progress: (@Sendable (Progress) -> Void)?
    ) async throws -> LoadTestReport {
        // A target that does not answer at all is an error, not a run full of refused connections.
        do {
            let probe = try await bootstrap(group: group, driver: nil, measuresFromIntendedTime: false)
                .connect(host: options.target.host, port: options.target.port).get()
            try await probe.close()
        } catch {
            throw LoadTestError.cannotConnect("\(options.target): \(error)")
        }

        let plan = ConnectionDriver.Plan(
            dataSet: options.dataSet,
            mix: options.mix,
            pathPrefix: options.target.pathPrefix,
            hostHeader: options.target.hostHeader,
            checkEvery: options.checkEvery,
            requestTimeout: TimeAmount(options.requestTimeout)
        )
        let start = NIODeadline.now()
        let stopAt = start + TimeAmount(options.duration)
        // At R requests/s over C connections each connection sends every C/R s; their first sends are staggered by 1/R.
        let interval = options.rate.map { TimeAmount.nanoseconds(Int64(1_000_000_000 * Double(options.connections) / Double($0))) }
        let budget = RequestBudget(limit: options.requestLimit)
        let drivers = (0..<options.connections).map { index in
            ConnectionDriver(
                plan: plan,
                seed: options.seed &* 1_000_003 &+ UInt64(index),
                firstSend: start + (options.rate.map { .nanoseconds(Int64(1_000_000_000 * Double(index) / Double($0))) } ?? .zero),
                interval: interval,
                stopAt: stopAt,
                budget: budget
            )
        }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            if let progress {
                tasks.addTask {
                    var previous = 0
                    var elapsed = Duration.zero
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        guard !Task.isCancelled else { return }
                        elapsed += .seconds(1)
                        var total = LoadStatistics()
                        for driver in drivers { total.merge(driver.snapshot) }
                        progress(
                            Progress(
                                elapsed: elapsed,
                                responses: total.responses,
                                recentRate: Double(total.responses - previous),
                                p99Milliseconds: Double(total.latency.valueAtPercentile(99)) / 1000,
                                unexpectedStatuses: total.unexpectedStatuses,
                                errors: total.errors.values.reduce(0, +),
                                failedChecks: total.failedChecks
                            )
                        )
                        previous = total.responses
                    }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { connections in
                for driver in drivers {
                    connections.addTask {
                        try await keepConnected(driver, target: options.target, group: group, measuresFromIntendedTime: interval != nil)
                    }
                }
                try await connections.waitForAll()
            }
            tasks.cancelAll()
        }

        let seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        var total = LoadStatistics()
        for driver in drivers { total.merge(driver.snapshot) }
        return LoadTestReport(options: options, seconds: seconds, statistics: total)
    }

    /// Keeps one connection open until the run is over, reconnecting after a close or a failed connect.
    private static func keepConnected(
        _ driver: ConnectionDriver,
        target: Target,
        group: MultiThreadedEventLoopGroup,
        measuresFromIntendedTime: Bool
    ) async throws {
        while NIODeadline.now() < driver.drainUntil, !driver.isFinished {
            do {
                let channel = try await bootstrap(group: group, driver: driver, measuresFromIntendedTime: measuresFromIntendedTime)
                    .connect(host: target.host, port: target.port).get()
                try? await channel.closeFuture.get()
            } catch {
                driver.recordError("connect: \(error)")
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func bootstrap(group: MultiThreadedEventLoopGroup, driver: ConnectionDriver?, measuresFromIntendedTime: Bool) -> ClientBootstrap {
        ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let driver else { return }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        LoadConnectionHandler(driver: driver, measuresFromIntendedTime: measuresFromIntendedTime)
                    )
                }
            }
    }
}

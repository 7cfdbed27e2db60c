import ArgumentParser
import Foundation
import IntegrationsServer
import LoadTest

struct LoadTestRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive integrations.get against a running service and report req/s, latency percentiles, statuses and errors.",
        discussion: """
            Closed loop by default (each connection sends its next request when the answer arrives); with --rate, \
            a constant total rate, latency measured from each request's intended send time so that stalls are not \
            hidden (coordinated omission). Every answer's status is checked against the data set, and the body of \
            every --check-every-th answer too. A progress line each second on standard error; the summary as text \
            on standard error and as JSON on standard output (or --json FILE). Exit code 1 when any answer was \
            wrong or any request failed.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var dataSet: DataSetOptions
    @Option(help: "The service (default: http://127.0.0.1:PORT with the configured PORT and ROOT_URL path).") var url: String?
    @Option(help: "Keep-alive connections.") var connections = 64
    @Option(help: "Seconds to run.") var duration = 10
    @Option(help: "Total requests per second (constant-rate mode); closed loop without it.") var rate: Int?
    @Option(help: "Stop after this many requests (or at the end of --duration).") var requests: Int?
    @Option(help: "Request kinds and weights: admin, admin-history, own, unknown.") var mix = RequestMix.standard.description
    @Option(help: "Check the body of every n-th answer of each connection (0: statuses only).") var checkEvery = 10
    @Option(help: "Event loop threads of the load generator.") var threads = 1
    @Option(help: "Seconds before an unanswered request counts as a timeout.") var timeout = 10
    @Option(help: "Seed of the random request sequence.") var seed: UInt64 = 1
    @Option(help: "Write the JSON summary to this file instead of standard output.") var json: String?
    @Flag(help: "No progress line.") var quiet = false

    func validate() throws {
        _ = try makeOptions(defaultTarget: LoadTest.Target(host: "127.0.0.1", port: 3000))
    }

    /// The load test's options from the flags; `defaultTarget` when there is no --url.
    private func makeOptions(defaultTarget: LoadTest.Target) throws -> LoadTest.Options {
        do throws(LoadTestError) {
            var loadOptions = LoadTest.Options(
                target: try url.map { text throws(LoadTestError) in try LoadTest.Target(parsing: text) } ?? defaultTarget
            )
            loadOptions.mix = try RequestMix(parsing: mix)
            loadOptions.connections = connections
            loadOptions.duration = .seconds(duration)
            loadOptions.rate = rate
            loadOptions.requestLimit = requests
            loadOptions.dataSet = dataSet.dataSet
            loadOptions.checkEvery = checkEvery
            loadOptions.threads = threads
            loadOptions.requestTimeout = .seconds(timeout)
            loadOptions.seed = seed
            try loadOptions.validate()
            return loadOptions
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let (configuration, _) = try options.load()
        let loadOptions = try makeOptions(
            defaultTarget: LoadTest.Target(host: "127.0.0.1", port: configuration.port, pathPrefix: configuration.pathPrefix)
        )
        let showProgress = !quiet
        let report: LoadTestReport
        do {
            report = try await LoadTest.run(loadOptions) { progress in
                guard showProgress else { return }
                let line = String(
                    format: "%4ds  %9d requests  %8.0f req/s  p99 %7.2f ms  unexpected %d  errors %d  wrong %d\n",
                    Int(progress.elapsed.components.seconds),
                    progress.responses,
                    progress.recentRate,
                    progress.p99Milliseconds,
                    progress.unexpectedStatuses,
                    progress.errors,
                    progress.failedChecks
                )
                FileHandle.standardError.write(Data(line.utf8))
            }
        } catch {
            throw fail(error)
        }
        FileHandle.standardError.write(Data((report.text + "\n").utf8))
        let summary = try report.json() + "\n"
        if let json {
            try summary.write(toFile: json, atomically: true, encoding: .utf8)
        } else {
            FileHandle.standardOutput.write(Data(summary.utf8))
        }
        if !report.passed { throw ExitCode(1) }
    }
}

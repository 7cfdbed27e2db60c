import ArgumentParser
import Dispatch
import Foundation
import LoadTest

#if canImport(Glibc)
import Glibc
#endif

struct LoadTestSink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Receive outgoing webhooks on a loopback address: count them and measure event-to-delivery latency.",
        discussion: """
            An HTTP/1.1 server (keep-alive) that answers every POST with 200 {"ok":true}, counts the calls and the \
            distinct webhook-id headers, and records each call's latency from its payload's timestamp to its arrival \
            (wall clock, milliseconds) in an HdrHistogram. GET /stats answers a JSON line: count, duplicates, latency \
            p50/p90/p99/max in ms, first and last arrival, requests per second; DELETE /stats answers it and starts \
            again from zero. On SIGINT or SIGTERM the same line goes to --report-file (or standard output) and the sink \
            exits. It listens on 127.0.0.0/8 only.
            """
    )

    @Option(help: "The port to listen on (0: any free port, printed at start).") var port: Int
    @Option(help: "The loopback address to listen on.") var host = "127.0.0.1"
    @Option(help: "Write the final JSON line to this file instead of standard output.") var reportFile: String?
    @Option(help: "Event loop threads.") var threads = 1

    func validate() throws {
        do throws(LoadTestError) {
            try options.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    private var options: DeliverySink.Options {
        var options = DeliverySink.Options()
        options.host = host
        options.port = port
        options.threads = threads
        return options
    }

    func run() async throws {
        // SIGINT and SIGTERM are ignored by the process (so their default action never happens) and observed
        // through dispatch sources.
        let (signals, continuation) = AsyncStream.makeStream(of: CInt.self)
        let queue = DispatchQueue(label: "integrations.sink.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        let sink: DeliverySink
        do {
            sink = try await DeliverySink.start(options)
        } catch {
            throw fail(error)
        }
        FileHandle.standardError.write(Data("sink listening on http://\(host):\(sink.port)\n".utf8))
        for await _ in signals { break }
        for source in sources { source.cancel() }
        let line = sink.report.jsonLine + "\n"
        await sink.stop()
        if let reportFile {
            try line.write(toFile: reportFile, atomically: true, encoding: .utf8)
        } else {
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Signals delivered as an async sequence. service-lifecycle's `UnixSignal` knows no `SIGTTIN`/`SIGTTOU`, so the
/// supervisor reads its signals here: each is set to be ignored by the process (so that its default action,
/// such as stopping or terminating, never happens) and observed through a dispatch source.
enum SignalStream {
    static func make(_ signals: [CInt]) -> AsyncStream<CInt> {
        let (stream, continuation) = AsyncStream.makeStream(of: CInt.self)
        let queue = DispatchQueue(label: "integrations.signals")
        let sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        let held = Sources(sources)
        continuation.onTermination = { _ in held.cancel() }
        return stream
    }

    /// Keeps the dispatch sources alive for as long as the stream is, and cancels them when it ends.
    /// `@unchecked Sendable`: the array never changes, and cancelling a dispatch source is safe from any thread.
    private final class Sources: @unchecked Sendable {
        let sources: [any DispatchSourceSignal]
        init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
        func cancel() { for source in sources { source.cancel() } }
    }
}

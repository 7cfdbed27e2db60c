import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Progress of an import on standard error: a redrawn bar (records, records/s, ETA from the bytes read) on a
/// terminal, a plain line every few seconds otherwise.
final class ImportProgress {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = ContinuousClock.now
    private var lastReport = ContinuousClock.now
    private let label: String
    private let totalBytes: Int

    init(label: String, totalBytes: Int) {
        self.label = label
        self.totalBytes = max(1, totalBytes)
    }

    func update(records: Int, bytesRead: Int, force: Bool = false) {
        let now = ContinuousClock.now
        let interval: Duration = isTerminal ? .milliseconds(200) : .seconds(5)
        guard force || now - lastReport >= interval else { return }
        lastReport = now
        let elapsed = max(0.001, (now - started) / .seconds(1))
        let rate = Double(records) / elapsed
        let fraction = min(1, Double(bytesRead) / Double(totalBytes))
        let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let counts = "\(records) \(label) records, \(Int(rate))/s, \(Int(fraction * 100))%, ETA \(Self.clock(remaining))"
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
            FileHandle.standardError.write(Data("\r[\(bar)] \(counts)\u{1B}[K".utf8))
        } else {
            FileHandle.standardError.write(Data("import: \(counts)\n".utf8))
        }
    }

    func finish(records: Int, bytesRead: Int) {
        update(records: records, bytesRead: bytesRead, force: true)
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}

import Foundation
import LibPQ
import Logging
import Prometheus
import ServiceLifecycle

/// A worker's side of the metrics: every second, the pool's gauges are updated and the registry is written to
/// `<directory>/<slot>-<pid>.prom` (a temporary file renamed over the old one, so a reader never sees half),
/// where the supervisor's metrics endpoint reads it. With no directory (the single-process server) it only
/// keeps the pool's gauges current.
struct WorkerMetricsWriter: Service {
    let registry: PrometheusCollectorRegistry
    let pool: ConnectionPool
    let directory: String?
    let slot: Int
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                write()
                try? await Task.sleep(for: interval)
            }
        }
        if let directory { try? FileManager.default.removeItem(atPath: Self.path(directory: directory, slot: slot, pid: getpid())) }
    }

    private func write() {
        ProcessMetrics.record(pool.statistics)
        guard let directory else { return }
        let path = Self.path(directory: directory, slot: slot, pid: getpid())
        let temporary = path + ".tmp"
        do {
            try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: temporary))
            _ = rename(temporary, path)
        } catch {
            logger.debug("cannot write metrics", metadata: ["error": "\(error)"])
        }
    }

    static func path(directory: String, slot: Int, pid: pid_t) -> String {
        "\(directory)/\(slot)-\(pid).prom"
    }

    /// The live workers' files in `directory`: (slot, exposition) of each whose pid still runs.
    static func read(directory: String) -> [(slot: Int, text: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".prom") else { return nil }
            let parts = name.dropLast(5).split(separator: "-")
            guard parts.count == 2, let slot = Int(parts[0]), let pid = pid_t(parts[1]), kill(pid, 0) == 0 else { return nil }
            guard let text = try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) else { return nil }
            return (slot, text)
        }
    }
}

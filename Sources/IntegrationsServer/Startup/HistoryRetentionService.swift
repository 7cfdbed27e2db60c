import Foundation
import IntegrationsCore
import IntegrationsStore
import Logging
import ServiceLifecycle

/// Rocket.Chat's history retention (its TTL index on `_updatedAt`): records last updated more than
/// `retentionDays` ago are deleted, in small batches, by a background loop, so requests never wait on it.
public struct HistoryRetentionService: Service {
    let history: HistoryRepository
    /// Days a record is kept after its last update; 0 keeps records forever.
    let retentionDays: Int
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    public init(history: HistoryRepository, retentionDays: Int, interval: Duration = .seconds(600), batchSize: Int = 1000, logger: Logger) {
        self.history = history
        self.retentionDays = retentionDays
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        guard retentionDays > 0 else {
            // A service that returns ends its service group; with nothing to do, wait for the shutdown.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await purge(now: Date())
                    if deleted > 0 { logger.info("expired integration history", metadata: ["records": "\(deleted)"]) }
                } catch {
                    logger.warning("history retention pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass: deletes every expired record, a batch at a time; returns how many.
    public func purge(now: Date) async throws -> Int {
        guard retentionDays > 0 else { return 0 }
        let cutoff = RocketChatDate.string(from: now.addingTimeInterval(-Double(retentionDays) * 86_400))
        var total = 0
        while !Task.isCancelled {
            let deleted = try await history.deleteExpired(before: cutoff, batchSize: batchSize)
            total += deleted
            if deleted < batchSize { break }
            await Task.yield()
        }
        return total
    }
}

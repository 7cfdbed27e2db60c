import ArgumentParser
import Foundation
import IntegrationsServer
import LoadTest

struct LoadTestSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write the load test's data set into the configured database (set-based SQL; existing rows are kept).",
        discussion: """
            100 users bench1…bench100 (user ids benchuser00000001…, tokens bench-token-1…): 1–10 admins, 11–55 with \
            only the own-integration permissions, 56–100 plain users; integrations benchint000000001… of both types \
            (~1 KB); history records like the API page's example on the outgoing ones.
            """
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var dataSet: DataSetOptions

    func run() async throws {
        let (configuration, logger) = try options.load()
        let set = dataSet.dataSet
        let started = ContinuousClock.now
        do {
            try await DatabaseSetup.withMigratedPool(configuration, logger: logger) { pool in
                try await set.seed(pool)
            }
        } catch {
            throw fail(error)
        }
        let history = set.historyIntegrations * set.historyPerIntegration
        print(
            "seeded \(set.integrations) integrations, \(history) history records, \(LoadDataSet.userCount) users in "
                + "\(String(format: "%.1f", started.duration(to: .now) / .seconds(1))) s"
        )
    }
}

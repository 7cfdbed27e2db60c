import ArgumentParser
import IntegrationsServer

struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test integrations.get: seed a known data set, then drive authenticated gets and verify samples.",
        subcommands: [LoadTestSeed.self, LoadTestRun.self, LoadTestSink.self]
    )
}

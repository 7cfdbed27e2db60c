import ArgumentParser
import IntegrationsServer
import LoadTest

/// The data set options `seed` and `run` share: `run` must know what `seed` wrote.
struct DataSetOptions: ParsableArguments {
    @Option(help: "Integrations in the data set.") var integrations = 10_000
    @Option(help: "Outgoing integrations with history records (default: all of them, half the integrations).")
    var historyIntegrations: Int?
    @Option(help: "History records of each of those.") var historyPerIntegration = 10

    func validate() throws {
        guard LoadDataSet.integrationLimit.contains(integrations) else {
            throw ValidationError("--integrations must be from 1 to \(LoadDataSet.integrationLimit.upperBound)")
        }
        if let historyIntegrations, !(0...integrations).contains(historyIntegrations) {
            throw ValidationError("--history-integrations must be from 0 to --integrations")
        }
        guard LoadDataSet.historyPerIntegrationLimit.contains(historyPerIntegration) else {
            throw ValidationError("--history-per-integration must be from 0 to \(LoadDataSet.historyPerIntegrationLimit.upperBound)")
        }
    }

    var dataSet: LoadDataSet {
        LoadDataSet(integrations: integrations, historyIntegrations: historyIntegrations, historyPerIntegration: historyPerIntegration)
    }
}

import ArgumentParser
import Foundation
import IntegrationsServer

struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the service on this machine answers GET /readyz with 200 (for a container HEALTHCHECK).",
        discussion: "Asks BIND_IP:PORT of the configuration (127.0.0.1 when BIND_IP is 0.0.0.0)."
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "The probe's path.") var path = "/readyz"

    func run() async throws {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(file: options.config)
        } catch {
            throw fail(error)
        }
        let host = HealthProbe.probeAddress(forBindIP: configuration.bindIP)
        guard HealthProbe.isHealthy(host: host, port: configuration.port, path: path) else {
            FileHandle.standardError.write(Data("integrations: \(host):\(configuration.port)\(path) is not healthy\n".utf8))
            throw ExitCode(1)
        }
    }
}

import ArgumentParser
import Foundation
import IntegrationsServer

@main
struct IntegrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrations",
        abstract: "A Rocket.Chat-compatible Integrations REST API on PostgreSQL.",
        discussion: """
            Settings come from config/integrations.conf (or --config FILE, or CONFIG_FILE), overridden by environment \
            variables of the same names: \(ServiceConfiguration.settingNames.joined(separator: ", ")). Without \
            DATABASE_URL the service runs its own PostgreSQL cluster under DATA_DIR/postgres. The README documents each one.
            """,
        subcommands: [Serve.self, Worker.self, Migrate.self, Import.self, Admin.self, HealthCheck.self, LoadTestCommand.self],
        defaultSubcommand: Serve.self
    )
}

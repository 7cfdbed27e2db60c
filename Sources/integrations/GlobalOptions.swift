import ArgumentParser
import Foundation
import IntegrationsServer
import Logging

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: config/integrations.conf when it exists).")
    var config: String?

    /// Loads the configuration and sets up logging; a bad setting stops here with a one-line message.
    /// `identity` is added to every log line (which process wrote it).
    func load(identity: Logger.Metadata = [:], adjust: (inout ServiceConfiguration) -> Void = { _ in }) throws -> (ServiceConfiguration, Logger) {
        var configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.load(file: config)
        } catch {
            FileHandle.standardError.write(Data("integrations: \(error)\n".utf8))
            throw ExitCode(2)
        }
        adjust(&configuration)
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                handler.metadata = identity
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                handler.metadata = identity
                return handler
            }
        }
        return (configuration, Logger(label: "integrations"))
    }
}

/// Prints a start-up failure as one line and exits non-zero.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("integrations: \(error)\n".utf8))
    return ExitCode(1)
}

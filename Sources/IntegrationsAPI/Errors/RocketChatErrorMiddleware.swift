import Hummingbird
import IntegrationsStore
import Logging

/// Renders every error that reaches the edge in Rocket.Chat's JSON shape: the API's own errors as they are,
/// Hummingbird's (unknown route, body too large) in the matching shape, an unreachable database as 503, a
/// write or a value PostgreSQL refused as 400, and anything else as a logged 500 without details.
struct RocketChatErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RocketChatError {
            return try error.response(from: request, context: context)
        } catch let error as StoreError {
            return try Self.answer(to: error, logger: context.logger).response(from: request, context: context)
        } catch let error as HTTPError {
            let rendered: RocketChatError =
                switch error.status {
                case .notFound, .methodNotAllowed: .notFound
                case .contentTooLarge: .bodyTooLarge(limit: context.maxUploadSize)
                default: RocketChatError(status: error.status, error: error.body ?? error.status.reasonPhrase)
                }
            return try rendered.response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return try RocketChatError.internalError.response(from: request, context: context)
        }
    }

    /// Rocket.Chat's answer to a failure of the store, logged at the level it deserves.
    static func answer(to error: StoreError, logger: Logger) -> RocketChatError {
        switch error.kind {
        case .unavailable:
            logger.warning("database unavailable", metadata: ["error": "\(error)"])
            return .databaseUnavailable
        case .conflict:
            logger.notice("write refused by a unique constraint", metadata: ["error": "\(error)"])
            return .conflictingWrite
        case .invalidDocument:
            logger.notice("value refused by PostgreSQL", metadata: ["error": "\(error)"])
            return .unstorableValue
        case .failed:
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return .internalError
        }
    }
}

import IntegrationsCore

/// What a use case of the store did: its result, a ``Refusal`` decided in the database, or the error of a
/// Rocket.Chat method's rule. In every case but `done`, nothing was written.
public enum Outcome<Value: Sendable>: Sendable {
    case done(Value)
    case refused(Refusal)
    /// A rule of Rocket.Chat's method refused the request, with the method's exact error.
    case rejected(MeteorError)
}

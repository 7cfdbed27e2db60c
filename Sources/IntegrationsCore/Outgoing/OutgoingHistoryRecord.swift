/// The integration history records of outgoing attempts, as Rocket.Chat writes them (its `updateHistory`): one
/// record per attempt, `step` the last step reached, the other fields accumulating.
///
/// Rocket.Chat writes the first steps (`start-execute-trigger-url`, `mapped-args-to-data`,
/// `after-maybe-ran-prepare`, `pre-http-call`) one after the other before its call; here they are one insert
/// with everything they set, so a record read while the call is in flight shows `pre-http-call` and its URL.
///
/// The records built here lack `integration`, the snapshot of the integration's document: the store adds it as
/// it writes the record, from the document it holds (no decoding and encoding of it on the way).
public enum OutgoingHistoryRecord {
    /// The record of an attempt about to call `url`.
    public static func beforeCall(
        id: String,
        event: String,
        data: JSONValue,
        triggerWord: String?,
        url: String,
        now: String
    ) -> JSONValue {
        var fields = common(id: id, step: "pre-http-call", event: event, data: data, triggerWord: triggerWord, now: now)
        fields.append(("ranPrepareScript", .bool(true)))
        fields.append(("url", .string(url)))
        fields.append(("httpCallData", data))
        return .object(fields)
    }

    /// Why this service stops where Rocket.Chat would run the integration's script: scripts do not run yet.
    public static let scriptUnavailable = "Error: integration scripts are not supported by this service yet; the URL was not called"

    /// The record of an attempt that ends before its call because the integration has a script this service
    /// cannot run: Rocket.Chat's record when it cannot get a script (`execute-script-getting-script`, an error).
    public static func scriptRefused(
        id: String,
        event: String,
        data: JSONValue,
        triggerWord: String?,
        now: String
    ) -> JSONValue {
        var fields = common(
            id: id,
            step: "execute-script-getting-script",
            event: event,
            data: data,
            triggerWord: triggerWord,
            now: now
        )
        fields.append(("error", .bool(true)))
        fields.append(("errorStack", .string(scriptUnavailable)))
        return .object(fields)
    }

    /// The fields an attempt's end merges into its record.
    public static func end(_ decision: AttemptDecision, now: String) -> JSONValue {
        .object([("step", .string(decision.step))] + decision.fields + [("_updatedAt", .string(now))])
    }

    private static func common(
        id: String,
        step: String,
        event: String,
        data: JSONValue,
        triggerWord: String?,
        now: String
    ) -> [(key: String, value: JSONValue)] {
        var fields: [(key: String, value: JSONValue)] = [
            ("_id", .string(id)),
            ("type", .string("outgoing-webhook")),
            ("step", .string(step)),
            ("event", .string(event)),
            ("_createdAt", .string(now)),
            ("_updatedAt", .string(now)),
            ("data", data),
        ]
        if let triggerWord { fields.append(("triggerWord", .string(triggerWord))) }
        return fields
    }
}

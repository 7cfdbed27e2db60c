import Foundation

/// Dates as Rocket.Chat's REST API writes them (`JSON.stringify` of a `Date`): `2019-11-29T14:15:27.518Z`.
public enum RocketChatDate {
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func now() -> String {
        string(from: Date())
    }
}

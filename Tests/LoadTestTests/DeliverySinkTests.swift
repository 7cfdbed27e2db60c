import Foundation
import Testing

@testable import LoadTest

@Suite struct DeliverySinkTimestampTests {
    @Test func readsRocketChatDatesAsEpochMilliseconds() {
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2019-11-29T14:15:27.518Z") == 1_575_036_927_518)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "1970-01-01T00:00:00.000Z") == 0)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2000-02-29T23:59:59.999Z") == 951_868_799_999)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2100-03-01T00:00:00.000Z") == 4_107_542_400_000)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "1969-12-31T23:59:59.000Z") == -1000)
    }

    @Test func takesAnyFractionOrNone() {
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2024-12-31T12:00:00.5Z") == 1_735_646_400_500)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2024-12-31T12:00:00.123456Z") == 1_735_646_400_123)
        #expect(DeliverySinkTimestamp.epochMilliseconds(iso: "2024-12-31T12:00:00Z") == 1_735_646_400_000)
    }

    @Test func agreesWithFoundationsCalendarOverManyDates() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 0...7_258_118_400, using: &generator)  // 1970 to 2200
            let milliseconds = Int64.random(in: 0...999, using: &generator)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let text = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                parts.year ?? 0,
                parts.month ?? 0,
                parts.day ?? 0,
                parts.hour ?? 0,
                parts.minute ?? 0,
                parts.second ?? 0,
                Int(milliseconds)
            )
            #expect(DeliverySinkTimestamp.epochMilliseconds(iso: text) == seconds * 1000 + milliseconds, "\(text)")
        }
    }

    @Test func refusesWhatIsNotSuchADate() {
        for text in [
            "", "2019-11-29", "2019-11-29 14:15:27.518Z", "2019-11-29T14:15:27.518", "2019-11-29T14:15:27.518+01:00",
            "2019-13-29T14:15:27.518Z", "2019-02-29T14:15:27.518Z", "2019-11-31T14:15:27.518Z", "2019-11-29T24:15:27.518Z",
            "2019-11-29T14:60:27.518Z", "2019-11-29T14:15:27.Z", "2019-11-29T14:15:27.5x8Z", "20a9-11-29T14:15:27.518Z",
        ] {
            #expect(DeliverySinkTimestamp.epochMilliseconds(iso: text) == nil, "\(text)")
        }
    }

    @Test func findsTheTimestampKeyOfAPayload() {
        let payload = #"""
            {"token":"t","bot":false,"channel_id":"GENERAL","channel_name":"general","message_id":"m1",\#
            "timestamp":"2019-11-29T14:15:27.518Z","user_id":"u","user_name":"admin","text":"hi","siteUrl":"http://localhost:3000"}
            """#
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(payload.utf8)) == 1_575_036_927_518)
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(#"{ "timestamp" :  "1970-01-01T00:00:01.000Z" }"#.utf8)) == 1000)
    }

    @Test func ignoresTheWordInsideStringsAndOtherKeys() {
        // In a string value the quotes around the word are escaped; a value "timestamp" is not followed by a colon.
        let payload = #"{"text":"the \"timestamp\":\"2000-01-01T00:00:00.000Z\"","a":"timestamp","timestamp":"1970-01-01T00:00:02.000Z"}"#
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(payload.utf8)) == 2000)
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(#"{"timestamps":"1970-01-01T00:00:02.000Z"}"#.utf8)) == nil)
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(#"{"timestamp":12}"#.utf8)) == nil)
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: Array(#"{"timestamp":"1970-01-01T00:00:02.000Z"#.utf8)) == nil)
        #expect(DeliverySinkTimestamp.epochMilliseconds(inPayload: []) == nil)
    }
}

@Suite struct DeliverySinkStatisticsTests {
    @Test func measuresFromTheTimestampToTheArrival() {
        var statistics = DeliverySinkStatistics()
        for latency in 1...100 {
            statistics.record(arrival: 10_000 + Int64(latency), timestamp: 10_000, webhookID: "msg_\(latency)")
        }
        let report = statistics.report
        #expect(report.count == 100)
        #expect(report.latencyMs.p50 == 50)
        #expect(report.latencyMs.p90 == 90)
        #expect(report.latencyMs.p99 == 99)
        #expect(report.latencyMs.max == 100)
        #expect(report.latencyMs.mean == 50.5)
        #expect(report.distinctWebhookIds == 100 && report.duplicates == 0)
    }

    @Test func ratesTheCallsBetweenTheFirstAndTheLast() {
        var statistics = DeliverySinkStatistics()
        #expect(statistics.report.requestsPerSecond == 0 && statistics.report.firstArrivalMs == nil)
        for index in 0...2000 {
            statistics.record(arrival: 5000 + Int64(index), timestamp: 5000 + Int64(index), webhookID: nil)
        }
        let report = statistics.report
        #expect(report.firstArrivalMs == 5000 && report.lastArrivalMs == 7000)
        #expect(report.seconds == 2)
        #expect(report.requestsPerSecond == 1001)
        #expect(report.latencyMs.p99 == 0 && report.latencyMs.max == 0)
        #expect(report.withoutWebhookId == 2001 && report.duplicates == 0)
    }

    @Test func countsTheSameWebhookIdAgainAsADuplicate() {
        var statistics = DeliverySinkStatistics()
        statistics.record(arrival: 1, timestamp: 1, webhookID: "a")
        statistics.record(arrival: 2, timestamp: 1, webhookID: "b")
        statistics.record(arrival: 3, timestamp: 1, webhookID: "a")
        statistics.record(arrival: 4, timestamp: 1, webhookID: nil)
        let report = statistics.report
        #expect(report.count == 4 && report.distinctWebhookIds == 2 && report.duplicates == 1 && report.withoutWebhookId == 1)
    }

    @Test func keepsUntimedAndFutureCallsOutOfTheLatencies() {
        var statistics = DeliverySinkStatistics()
        statistics.record(arrival: 1000, timestamp: nil, webhookID: "a")
        #expect(statistics.report.latencyMs == DeliverySinkReport.Latency(p50: 0, p90: 0, p99: 0, max: 0, mean: 0))
        statistics.record(arrival: 1000, timestamp: 1500, webhookID: "b")
        statistics.record(arrival: 1000, timestamp: 980, webhookID: "c")
        let report = statistics.report
        #expect(report.count == 3 && report.withoutTimestamp == 1 && report.fromTheFuture == 1)
        #expect(report.latencyMs.max == 20 && report.latencyMs.p50 == 0)
    }

    @Test func writesOneLineOfSnakeCaseJSON() throws {
        var statistics = DeliverySinkStatistics()
        statistics.record(arrival: 1010, timestamp: 1000, webhookID: "a")
        let line = statistics.report.jsonLine
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 1)
        #expect(object["duplicates"] as? Int == 0)
        #expect((object["latency_ms"] as? [String: Any])?["p99"] as? Int == 10)
        #expect(object["first_arrival_ms"] as? Int == 1010)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(DeliverySinkReport.self, from: Data(line.utf8)) == statistics.report)
    }

    @Test func refusesToListenBeyondLoopback() {
        var options = DeliverySink.Options()
        #expect(throws: Never.self) { try options.validate() }
        for host in ["0.0.0.0", "10.0.0.1", "::1", "localhost", "128.0.0.1", ""] {
            options.host = host
            #expect(throws: LoadTestError.self, "\(host)") { try options.validate() }
        }
        options.host = "127.0.0.2"
        #expect(throws: Never.self) { try options.validate() }
    }
}

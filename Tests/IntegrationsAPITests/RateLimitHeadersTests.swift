import Foundation
import HTTPTypes
import HummingbirdCore
import IntegrationsStore
import Testing

@testable import IntegrationsAPI

/// Rocket.Chat's `X-RateLimit-*` headers and its 429.
@Suite struct RateLimitHeadersTests {
    static let limit = RateLimit(calls: 10, windowMilliseconds: 60_000)

    @Test func theHeadersSayTheLimitWhatIsLeftAndTheReset() {
        let fields = RateLimitHeaders.fields(limit: Self.limit, window: .init(requests: 3, resetsAtMilliseconds: 1_704_895_972_201))
        #expect(fields[RateLimitHeaders.limit] == "10")
        #expect(fields[RateLimitHeaders.remaining] == "7")
        #expect(fields[RateLimitHeaders.reset] == "1704895972201")
        #expect(fields.count == 3)
    }

    @Test func nothingRemainsOnceTheLimitIsReachedOrPassed() {
        #expect(RateLimitHeaders.fields(limit: Self.limit, window: .init(requests: 10, resetsAtMilliseconds: 0))[RateLimitHeaders.remaining] == "0")
        #expect(RateLimitHeaders.fields(limit: Self.limit, window: .init(requests: 25, resetsAtMilliseconds: 0))[RateLimitHeaders.remaining] == "0")
    }

    @Test func theHeaderNamesAreRocketChats() {
        #expect(RateLimitHeaders.limit.rawName == "X-RateLimit-Limit")
        #expect(RateLimitHeaders.remaining.rawName == "X-RateLimit-Remaining")
        #expect(RateLimitHeaders.reset.rawName == "X-RateLimit-Reset")
    }

    @Test func tooManyRequestsSaysHowManyWholeSecondsToWait() async throws {
        let window = RateLimitWindow(requests: 11, resetsAtMilliseconds: RateLimitHeaders.epochMilliseconds() + 30_500)
        let headers = RateLimitHeaders.fields(limit: Self.limit, window: window)
        let response = RateLimitHeaders.tooManyRequests(window: window, headers: headers)
        #expect(response.status == .tooManyRequests)
        #expect(
            try await response.bodyText()
                == #"{"success":false,"error":"Error, too many requests. Please slow down. You must wait 31 seconds before trying this endpoint again."}"#
        )
        #expect(response.headers[.retryAfter] == "31")
        #expect(response.headers[RateLimitHeaders.remaining] == "0")
        #expect(response.headers[RateLimitHeaders.limit] == "10")
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.headers[.cacheControl] == "no-store")
    }

    @Test func aWindowThatHasEndedMeansNoWait() async throws {
        let window = RateLimitWindow(requests: 11, resetsAtMilliseconds: RateLimitHeaders.epochMilliseconds() - 5_000)
        let response = RateLimitHeaders.tooManyRequests(window: window, headers: [:])
        #expect(try await response.bodyText().contains("You must wait 0 seconds"))
        #expect(response.headers[.retryAfter] == "0")
    }

    @Test func epochMillisecondsIsTheWallClock() {
        let foundation = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs(RateLimitHeaders.epochMilliseconds() - foundation) < 1_000)
    }
}

import HTTPTypes
import Hummingbird
import HummingbirdCore
import IntegrationsStore
import NIOCore
import Testing

@testable import IntegrationsAPI

/// The rate limiter's memory, driven with explicit instants.
@Suite struct RateLimitStateTests {
    static let limit = RateLimit(calls: 10, windowMilliseconds: 60_000)
    let start = ContinuousClock.now

    static func credentials(_ userId: String, token: String = "token") throws -> CallerCredentials {
        let head = HTTPRequest(
            method: .get,
            scheme: "http",
            authority: "test",
            path: "/api/v1/me",
            headerFields: [.xUserId: userId, .xAuthToken: token]
        )
        let credentials = CallerCredentials(Request(head: head, body: RequestBody(buffer: ByteBuffer())))
        return try #require(credentials)
    }

    @Test func aStandingIsRememberedUntilItsDeadline() throws {
        let state = RateLimitState()
        let alice = try Self.credentials("alice")
        #expect(state.standing(of: alice, at: start) == nil)
        state.remember(.limited, of: alice, until: start + .seconds(10))
        #expect(state.standing(of: alice, at: start) == .limited)
        #expect(state.standing(of: alice, at: start + .seconds(10) - .nanoseconds(1)) == .limited)
        #expect(state.standing(of: alice, at: start + .seconds(10)) == nil)
    }

    @Test func aStandingBelongsToOneUserAndToken() throws {
        let state = RateLimitState()
        state.remember(.exempt, of: try Self.credentials("alice"), until: start + .seconds(10))
        #expect(state.standing(of: try Self.credentials("alice", token: "other"), at: start) == nil)
        #expect(state.standing(of: try Self.credentials("bob"), at: start) == nil)
        #expect(state.standing(of: try Self.credentials("alice"), at: start) == .exempt)
    }

    @Test func aNewerStandingReplacesTheOlder() throws {
        let state = RateLimitState()
        let alice = try Self.credentials("alice")
        state.remember(.exempt, of: alice, until: start + .seconds(10))
        state.remember(.limited, of: alice, until: start + .seconds(10))
        #expect(state.standing(of: alice, at: start) == .limited)
    }

    @Test func requestsAreCountedPerKeyInAFixedWindow() {
        let state = RateLimitState()
        #expect(state.count(key: "a", limit: Self.limit, at: start).requests == 1)
        #expect(state.count(key: "a", limit: Self.limit, at: start + .seconds(30)).requests == 2)
        #expect(state.count(key: "b", limit: Self.limit, at: start + .seconds(30)).requests == 1)
        #expect(state.count(key: "a", limit: Self.limit, at: start + .milliseconds(59_999)).requests == 3)
        // The window started at `start` ends 60 s later, whatever happened in between.
        #expect(state.count(key: "a", limit: Self.limit, at: start + .seconds(60)).requests == 1)
        #expect(state.count(key: "a", limit: Self.limit, at: start + .seconds(61)).requests == 2)
    }

    @Test func theResetIsTheEndOfTheWindowInEpochMilliseconds() {
        let state = RateLimitState()
        let before = RateLimitHeaders.epochMilliseconds()
        let first = state.count(key: "a", limit: Self.limit, at: start)
        let later = state.count(key: "a", limit: Self.limit, at: start + .milliseconds(20_250))
        let after = RateLimitHeaders.epochMilliseconds()
        #expect((before + 60_000...after + 60_000).contains(first.resetsAtMilliseconds))
        #expect((before + 39_750...after + 39_750).contains(later.resetsAtMilliseconds))
    }

    @Test func whenFullOfLiveWindowsTheStateForgetsThemAll() {
        let state = RateLimitState()
        _ = state.count(key: "kept", limit: Self.limit, at: start)
        _ = state.count(key: "kept", limit: Self.limit, at: start)
        for index in 1..<RateLimitState.capacity {
            _ = state.count(key: "k\(index)", limit: Self.limit, at: start)
        }
        // Still 10 000 live windows: the next count finds no expired one to drop, so it drops them all.
        _ = state.count(key: "new", limit: Self.limit, at: start + .seconds(1))
        #expect(state.count(key: "kept", limit: Self.limit, at: start + .seconds(1)).requests == 1)
    }

    @Test func whenFullExpiredWindowsAreDroppedFirst() {
        let state = RateLimitState()
        for index in 0..<(RateLimitState.capacity - 1) {
            _ = state.count(key: "old\(index)", limit: Self.limit, at: start)
        }
        _ = state.count(key: "live", limit: Self.limit, at: start + .seconds(30))
        _ = state.count(key: "new", limit: Self.limit, at: start + .seconds(61))
        #expect(state.count(key: "live", limit: Self.limit, at: start + .seconds(62)).requests == 2)
    }

    @Test func whenFullOfLiveStandingsTheStateForgetsThemAll() throws {
        let state = RateLimitState()
        let far = ContinuousClock.now + .seconds(3600)
        let first = try Self.credentials("user0")
        state.remember(.exempt, of: first, until: far)
        for index in 1..<RateLimitState.capacity {
            state.remember(.limited, of: try Self.credentials("user\(index)"), until: far)
        }
        #expect(state.standing(of: first, at: start) == .exempt)
        state.remember(.limited, of: try Self.credentials("latecomer"), until: far)
        #expect(state.standing(of: first, at: start) == nil)
        #expect(state.standing(of: try Self.credentials("latecomer"), at: start) == .limited)
    }
}

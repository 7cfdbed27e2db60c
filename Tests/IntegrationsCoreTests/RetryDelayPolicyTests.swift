import IntegrationsCore
import Testing

@Suite struct RetryDelayPolicyTests {
    @Test func rawValuesAreRocketChatsLowercaseSettingValues() {
        #expect(RetryDelayPolicy(rawValue: "powers-of-ten") == .powersOfTen)
        #expect(RetryDelayPolicy(rawValue: "powers-of-two") == .powersOfTwo)
        #expect(RetryDelayPolicy(rawValue: "increments-of-two") == .incrementsOfTwo)
        #expect(RetryDelayPolicy(rawValue: "Powers-Of-Ten") == nil)
        #expect(RetryDelayPolicy(rawValue: "") == nil)
    }

    @Test func powersOfTenStartAtATenthOfASecond() {
        let delays = (0...5).map { RetryDelayPolicy.powersOfTen.delay(afterTries: $0) }
        #expect(delays == [.milliseconds(100), .seconds(1), .seconds(10), .seconds(100), .seconds(1000), .seconds(10_000)])
    }

    @Test func powersOfTwoStartAtTwoSeconds() {
        let delays = (0...5).map { RetryDelayPolicy.powersOfTwo.delay(afterTries: $0) }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(64)])
    }

    @Test func incrementsOfTwoAddTwoSecondsEachTry() {
        let delays = (0...5).map { RetryDelayPolicy.incrementsOfTwo.delay(afterTries: $0) }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(6), .seconds(8), .seconds(10), .seconds(12)])
    }

    @Test func hugeTriesSaturateAtTheMaximumDelay() {
        #expect(RetryDelayPolicy.maximumDelay == .milliseconds(1_000_000_000_000))
        for policy in [RetryDelayPolicy.powersOfTen, .powersOfTwo, .incrementsOfTwo] {
            #expect(policy.delay(afterTries: .max) == RetryDelayPolicy.maximumDelay)
            #expect(policy.delay(afterTries: 1_000_000_000) == RetryDelayPolicy.maximumDelay)
        }
    }

    @Test func delaysGrowUpToTheCapWithoutPassingIt() {
        #expect(RetryDelayPolicy.powersOfTen.delay(afterTries: 9) == .seconds(100_000_000))
        #expect(RetryDelayPolicy.powersOfTen.delay(afterTries: 10) == RetryDelayPolicy.maximumDelay)
        #expect(RetryDelayPolicy.powersOfTwo.delay(afterTries: 28) == .seconds(536_870_912))
        #expect(RetryDelayPolicy.powersOfTwo.delay(afterTries: 29) == RetryDelayPolicy.maximumDelay)
        #expect(RetryDelayPolicy.incrementsOfTwo.delay(afterTries: 499_999_998) == .seconds(999_999_998))
        #expect(RetryDelayPolicy.incrementsOfTwo.delay(afterTries: 499_999_999) == RetryDelayPolicy.maximumDelay)
    }

    @Test func negativeTriesCountAsTheFirstRetry() {
        #expect(RetryDelayPolicy.powersOfTen.delay(afterTries: -1) == .milliseconds(100))
        #expect(RetryDelayPolicy.incrementsOfTwo.delay(afterTries: .min) == .seconds(2))
    }
}

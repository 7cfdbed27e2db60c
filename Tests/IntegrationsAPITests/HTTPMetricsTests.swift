import Testing

@testable import IntegrationsAPI

/// The duration the request metrics record.
@Suite struct HTTPMetricsTests {
    @Test func aDurationIsWholeNanoseconds() {
        #expect(Duration.nanoseconds(123).nanoseconds == 123)
        #expect(Duration.milliseconds(1_500).nanoseconds == 1_500_000_000)
        #expect(Duration.seconds(2).nanoseconds == 2_000_000_000)
        #expect((Duration.seconds(1) + .nanoseconds(1)).nanoseconds == 1_000_000_001)
        #expect(Duration.zero.nanoseconds == 0)
    }
}

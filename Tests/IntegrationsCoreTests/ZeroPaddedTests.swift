import IntegrationsCore
import Testing

@Suite struct ZeroPaddedTests {
    @Test func padsToTheWidth() {
        #expect(7.zeroPadded(toWidth: 3) == "007")
        #expect(0.zeroPadded(toWidth: 2) == "00")
        #expect(42.zeroPadded(toWidth: 2) == "42")
        #expect(Int64(518).zeroPadded(toWidth: 3) == "518")
        #expect(UInt8(5).zeroPadded(toWidth: 4) == "0005")
    }

    @Test func longerNumbersKeepEveryDigit() {
        #expect(123_456.zeroPadded(toWidth: 3) == "123456")
        #expect(9.zeroPadded(toWidth: 0) == "9")
        #expect(Int64.max.zeroPadded(toWidth: 1) == "9223372036854775807")
    }

    @Test func negativeNumbersKeepTheirSignInFront() {
        #expect((-5).zeroPadded(toWidth: 3) == "-005")
        #expect(Int64.min.zeroPadded(toWidth: 2) == "-9223372036854775808")
    }
}

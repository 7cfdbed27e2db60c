import IntegrationsCore
import Testing

@Suite struct HexTests {
    @Test func encodesEveryByteAsTwoLowercaseDigits() {
        #expect(Hex.encode([0x00, 0x0f, 0x10, 0xab, 0xff]) == "000f10abff")
        #expect(Hex.encode([]) == "")
        let all = Hex.encode((0...255).map { UInt8($0) })
        #expect(all.utf8.count == 512)
        #expect(all.utf8.allSatisfy { Array("0123456789abcdef".utf8).contains($0) })
    }

    @Test func digitUsesOnlyTheLowNibble() {
        #expect((0...15).map { Hex.digit(of: UInt8($0)) } == Array("0123456789abcdef".utf8))
        #expect(Hex.digit(of: 0xfa) == UInt8(ascii: "a"))
    }

    @Test func valueReadsBothCasesAndRefusesOtherBytes() {
        for (index, digit) in "0123456789abcdef".utf8.enumerated() {
            #expect(Hex.value(of: digit) == UInt8(index))
        }
        for (index, digit) in "ABCDEF".utf8.enumerated() {
            #expect(Hex.value(of: digit) == UInt8(10 + index))
        }
        let digits = Set("0123456789abcdefABCDEF".utf8)
        for byte in UInt8.min...UInt8.max where !digits.contains(byte) {
            #expect(Hex.value(of: byte) == nil, "\(byte)")
        }
    }

    @Test func valueDecodesWhatEncodeWrote() {
        for byte in UInt8.min...UInt8.max {
            let text = Array(Hex.encode([byte]).utf8)
            let high = Hex.value(of: text[0])
            let low = Hex.value(of: text[1])
            #expect(high.flatMap { high in low.map { high << 4 | $0 } } == byte)
        }
    }
}

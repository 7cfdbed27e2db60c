import IntegrationsCore
import Testing

@Suite struct WebhookSignatureTests {
    private static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    private static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    private static let timestamp: Int64 = 1_614_265_330
    private static let body = Array(#"{"test": 2432232314}"#.utf8)
    private static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    /// The example of the Standard Webhooks specification.
    @Test func signsTheSpecificationsExample() throws {
        let key = try #require(WebhookSignature.key(fromSecret: Self.secret))
        #expect(key.count == 24)
        #expect(WebhookSignature.sign(id: Self.id, timestamp: Self.timestamp, body: Self.body, key: key) == Self.signature)
        // The body may be any collection of bytes.
        let slice = Self.body[...]
        #expect(WebhookSignature.sign(id: Self.id, timestamp: Self.timestamp, body: slice, key: key) == Self.signature)
    }

    @Test func secretsWithoutThePrefixAreTheirBase64() {
        #expect(WebhookSignature.key(fromSecret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == WebhookSignature.key(fromSecret: Self.secret))
        #expect(WebhookSignature.key(fromSecret: "whsec_AAE=") == [0, 1])
        #expect(WebhookSignature.key(fromSecret: "whsec_AAE") == [0, 1])
        #expect(WebhookSignature.key(fromSecret: "whsec_/+8=") == [0xff, 0xef])
    }

    @Test func secretsThatAreNotBase64HaveNoKey() {
        #expect(WebhookSignature.key(fromSecret: "") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_not base64") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_A") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_A=AA") == nil)
        #expect(WebhookSignature.key(fromSecret: "whsec_-_8") == nil)
    }

    /// The service keys the HMAC with an integration's plain token when it has no `whsec_` secret.
    @Test func signsWithRawKeyBytes() {
        let signature = WebhookSignature.sign(id: "id1", timestamp: 42, body: Array("hello".utf8), key: Array("token-123".utf8))
        #expect(signature == "v1,HuYJaw6whTnT+AihkZCCw+ha1CZh/iGjrQ7xoNeh4GQ=")
    }

    @Test func verifyAcceptsAMatchingV1EntryAmongOthers() throws {
        let key = try #require(WebhookSignature.key(fromSecret: Self.secret))
        func verify(_ header: String) -> Bool {
            WebhookSignature.verify(header: header, id: Self.id, timestamp: Self.timestamp, body: Self.body, key: key)
        }
        #expect(verify(Self.signature))
        #expect(verify("v1,AAAA " + Self.signature))
        #expect(verify("v1a,abcd " + Self.signature + " v2,xyz"))
    }

    @Test func verifyRefusesEverythingElse() throws {
        let key = try #require(WebhookSignature.key(fromSecret: Self.secret))
        func verify(_ header: String, id: String = Self.id, timestamp: Int64 = Self.timestamp, body: [UInt8] = Self.body) -> Bool {
            WebhookSignature.verify(header: header, id: id, timestamp: timestamp, body: body, key: key)
        }
        #expect(!verify(""))
        #expect(!verify("v1,"))
        #expect(!verify("v2," + Self.signature.dropFirst(3)))
        #expect(!verify(String(Self.signature.dropLast())))
        #expect(!verify(Self.signature, id: "msg_other"))
        #expect(!verify(Self.signature, timestamp: Self.timestamp + 1))
        #expect(!verify(Self.signature, body: Self.body + [0x20]))
        #expect(!WebhookSignature.verify(header: Self.signature, id: Self.id, timestamp: Self.timestamp, body: Self.body, key: [1, 2, 3]))
    }
}

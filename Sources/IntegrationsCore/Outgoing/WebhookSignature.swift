import Crypto

/// Standard Webhooks signatures (`webhook-signature: v1,<base64>`): an HMAC-SHA256 of
/// `"<webhook-id>.<webhook-timestamp>.<body>"`, so that a receiver can tell the call came from us, unchanged.
public enum WebhookSignature {
    /// The prefix of a Standard Webhooks secret (`whsec_<base64 key>`).
    public static let secretPrefix = "whsec_"

    /// The HMAC key of a Standard Webhooks secret: the base64 after an optional `whsec_` prefix; `nil` when
    /// that is not base64 or is empty.
    ///
    /// An integration without such a secret signs with its plain `token`'s UTF-8 bytes instead; that choice is
    /// the caller's.
    public static func key(fromSecret secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let key = Base64.decode(encoded), !key.isEmpty else { return nil }
        return key
    }

    /// The `webhook-signature` header value for one call: `v1,` and the base64 HMAC-SHA256, keyed with `key`, of
    /// `id`, `timestamp` (Unix seconds, in decimal) and `body`, joined by dots.
    public static func sign(id: String, timestamp: Int64, body: some Collection<UInt8>, key: [UInt8]) -> String {
        "v1," + Base64.encode(mac(id: id, timestamp: timestamp, body: body, key: key))
    }

    /// Whether any `v1` signature in a `webhook-signature` header (space-separated `version,signature` entries)
    /// matches the call, compared in constant time. Entries of other versions are ignored. The timestamp's age is
    /// not checked here.
    public static func verify(header: String, id: String, timestamp: Int64, body: some Collection<UInt8>, key: [UInt8]) -> Bool {
        let expected = Array(sign(id: id, timestamp: timestamp, body: body, key: key).utf8)
        var matched = false
        for entry in header.utf8.split(separator: UInt8(ascii: " ")) where entry.starts(with: "v1,".utf8) {
            // Keep comparing after a match, so the time taken does not say which entry matched.
            matched = ConstantTime.equal(Array(entry), expected) || matched
        }
        return matched
    }

    private static func mac(id: String, timestamp: Int64, body: some Collection<UInt8>, key: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: Array(body))
        return Array(hmac.finalize())
    }
}

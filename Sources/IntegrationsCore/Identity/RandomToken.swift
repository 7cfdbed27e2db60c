/// Rocket.Chat's random strings (Meteor's `Random.id` and `Random.secret`), drawn from the system's CSPRNG.
public enum RandomToken {
    /// The 55 "unmistakable" characters of `Random.id` (no 0, 1, I, O, l).
    public static let idAlphabet = Array("23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    /// The 64 base64url characters of `Random.secret`.
    public static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// A `Random.id(count)`: 17 characters by default (user, room and document ids), 48 for incoming webhook tokens.
    public static func id(count: Int = 17) -> String {
        string(count: count, alphabet: idAlphabet)
    }

    /// A `Random.secret(count)`: 43 base64url characters (256 bits) by default, as login tokens are.
    public static func secret(count: Int = 43) -> String {
        string(count: count, alphabet: secretAlphabet)
    }

    private static func string(count: Int, alphabet: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

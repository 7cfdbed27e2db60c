extension BinaryInteger {
    /// The decimal digits of the value with leading zeros up to `width` digits (`7.zeroPadded(toWidth: 3)` is
    /// `"007"`); a longer number keeps all its digits, a negative one its minus sign in front of them. For dates,
    /// generated ids and log fields, whose width is fixed.
    public func zeroPadded(toWidth width: Int) -> String {
        let digits = String(magnitude)
        let zeros = String(repeating: "0", count: Swift.max(0, width - digits.utf8.count))
        return (self < 0 ? "-" : "") + zeros + digits
    }
}

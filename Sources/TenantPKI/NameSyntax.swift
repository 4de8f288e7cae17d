//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// The syntax of DNS names and email addresses in certificates (RFC 5280 4.2.1.6): DNS
/// names in the preferred name syntax (RFC 1034 3.5, as RFC 1123 relaxed it: labels of
/// letters, digits and hyphens, not starting or ending with a hyphen), email addresses as
/// `local-part@domain` with a DNS name as domain.
enum NameSyntax {
    /// What is wrong with `bytes` as a DNS name, or nil when nothing is.
    /// - Parameter allowingWildcard: accept `*` as the whole leftmost label (`*.example.com`).
    static func dnsNameProblem(_ bytes: [UInt8], allowingWildcard: Bool = false) -> String? {
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        if bytes.isEmpty { return "is empty" }
        if bytes.count > 253 { return "is \(bytes.count) bytes long; at most 253 are allowed" }
        if bytes.first == dot { return "starts with a dot" }
        if bytes.last == dot { return "ends with a dot" }
        let labels = bytes.split(separator: dot, omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if label.isEmpty { return "has an empty label (two dots in a row)" }
            if allowingWildcard, index == 0, labels.count > 1, label.elementsEqual([UInt8(ascii: "*")]) { continue }
            if label.count > 63 { return "has a label of \(label.count) bytes; at most 63 are allowed" }
            if let bad = label.first(where: { !isLetterOrDigit($0) && $0 != hyphen }) {
                return "contains \(describe(bad)), which is not a letter, digit or hyphen"
            }
            if label.first == hyphen || label.last == hyphen { return "has a label that starts or ends with a hyphen" }
        }
        return nil
    }

    /// What is wrong with `bytes` as an email address (an rfc822Name), or nil.
    static func emailAddressProblem(_ bytes: [UInt8]) -> String? {
        let at = UInt8(ascii: "@")
        let signs = bytes.count { $0 == at }
        guard signs == 1, let separator = bytes.firstIndex(of: at) else {
            return signs == 0 ? "has no '@'" : "has \(signs) '@' signs; an address has exactly one"
        }
        let local = bytes[..<separator]
        if local.isEmpty { return "has nothing before the '@'" }
        if let bad = local.first(where: { $0 <= 0x20 || $0 >= 0x7F }) { return "has \(describe(bad)) before the '@'" }
        return dnsNameProblem(Array(bytes[(separator + 1)...])).map { "has a domain that \($0)" }
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x20: "a space"
        case 0x2C: "a comma"
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "the byte 0x\(hexByte(byte))"
        }
    }
}

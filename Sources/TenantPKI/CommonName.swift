//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// A name that is safe to write into a volume's `auth.ssl-allow`.
///
/// GlusterFS splits that option on spaces and commas and matches each token with
/// `fnmatch`, so a name is only safe if it contains none of those and no glob
/// characters. gshare's rule: `^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$` (1–64 ASCII
/// characters, starting with a letter or digit). The only ways to get one are
/// ``init(validating:)`` (for an admin's `--cn`) and a ``TenantIdentity`` produced by
/// verification.
public struct CommonName: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Checks `text` against the name rule.
    /// - Throws: ``PKIError/Code-swift.struct/invalidCommonName`` naming the problem.
    public init(validating text: String) throws {
        if let problem = Self.problem(in: Array(text.utf8)) {
            throw PKIError(
                .invalidCommonName, path: "CN \"\(escapingControlCharacters(text))\"", reason: problem,
                hint: "use 1-64 characters from A-Z a-z 0-9 . _ @ -, starting with a letter or digit")
        }
        self.value = text
    }

    init(checkedBytes bytes: [UInt8]) {
        precondition(Self.problem(in: bytes) == nil, "CommonName built from unchecked bytes")
        self.value = String(decoding: bytes, as: UTF8.self)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }

    /// Why `bytes` may not be listed in `auth.ssl-allow`, or nil when it may.
    static func problem(in bytes: [UInt8]) -> String? {
        guard let first = bytes.first else { return "the name is empty" }
        if bytes.count > 64 { return "the name is \(bytes.count) bytes long; at most 64 are allowed" }
        if bytes.contains(0) { return "the name contains a NUL byte (GlusterFS would see only the part before it)" }
        if bytes.contains(where: { $0 >= 0x80 }) { return "the name contains non-ASCII bytes" }
        if !NameSyntax.isLetterOrDigit(first) {
            return "the name starts with \(NameSyntax.describe(first)); it must start with a letter or digit"
        }
        if let bad = bytes.first(where: { !NameSyntax.isLetterOrDigit($0) && !Array("._@-".utf8).contains($0) }) {
            return "the name contains \(NameSyntax.describe(bad)), which auth.ssl-allow would treat as "
                + (Array("*?[]".utf8).contains(bad) ? "a glob pattern" : bad == 0x20 || bad == 0x2C ? "a separator" : "unsafe")
        }
        return nil
    }
}

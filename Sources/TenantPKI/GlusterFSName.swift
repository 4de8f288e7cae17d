//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// The name GlusterFS authorises for a client certificate.
///
/// GlusterFS (rpc-transport/socket) reads it with
/// `X509_NAME_get_text_by_NID(subject, NID_commonName, buf, 255)` and then uses `buf`
/// as a C string. So the name is the **first** subject CN, its raw ASN.1 content bytes
/// (no character-set conversion), at most 254 bytes, cut at the first NUL byte. SANs are
/// never used. gshare calls the very same function so the two cannot disagree.
public struct GlusterFSName: Sendable, Hashable, CustomStringConvertible {
    /// The bytes GlusterFS compares with the `auth.ssl-allow` patterns.
    public let bytes: [UInt8]
    /// What this name has that a reader would not expect, loudest first.
    public let warnings: [Warning]

    public enum Warning: Sendable, Hashable, CustomStringConvertible {
        /// No CN at all: GlusterFS sees an empty name (only `*` would admit it).
        case noCommonName
        /// Several CNs: only the first one counts (other tools may take the last).
        case multipleCommonNames(count: Int)
        /// The first CN differs from what GlusterFS sees (NUL byte, non-UTF-8 string
        /// type such as BMPString, or longer than 254 bytes).
        case differsFromDecodedCommonName(decoded: String)

        public var description: String {
            switch self {
            case .noCommonName:
                "the certificate has no CN: GlusterFS sees an EMPTY name, which only a '*' auth.ssl-allow admits"
            case .multipleCommonNames(let count):
                "the subject has \(count) CNs: GlusterFS uses only the FIRST (other tools may use the last)"
            case .differsFromDecodedCommonName(let decoded):
                "GlusterFS does NOT see the decoded CN \"\(decoded)\": it reads raw bytes up to the first NUL"
            }
        }
    }

    init(certificate: Certificate) {
        var buffer = [CChar](repeating: 0, count: 256)
        // Same call and length as GlusterFS's socket.c (peer_CN[256], len 255).
        let length = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate.ref), NID_commonName, &buffer, 255)
        let name = length < 0 ? [] : buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        self.bytes = name

        let attributes = certificate.subjectCommonNames
        var warnings: [Warning] = []
        if attributes.isEmpty { warnings.append(.noCommonName) }
        if let first = attributes.first {
            if first.bytes != name || ![.utf8String, .printableString, .ia5String].contains(first.stringType) {
                warnings.append(.differsFromDecodedCommonName(decoded: first.displayText))
            }
        }
        if attributes.count > 1 { warnings.append(.multipleCommonNames(count: attributes.count)) }
        self.warnings = warnings
    }

    /// The name as text: UTF-8 where it decodes, control bytes escaped as `\xNN`.
    public var displayText: String { escapingControlCharacters(String(decoding: bytes, as: UTF8.self)) }
    /// The raw bytes as lower-case hex.
    public var hex: String { hexString(bytes).lowercased() }
    public var isEmpty: Bool { bytes.isEmpty }
    public var description: String { displayText }
}

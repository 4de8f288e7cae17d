//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// Everything `gshare cert inspect` shows about one certificate, as plain values
/// (stable field names: this is the `--json` form).
public struct CertificateSummary: Sendable, Codable, Equatable {
    public struct Name: Sendable, Codable, Equatable {
        /// The bytes GlusterFS compares with `auth.ssl-allow`, as text (`\xNN` escapes).
        public let text: String
        /// The same bytes, hex.
        public let hex: String
        /// Loud notes: no CN, several CNs, differs from the decoded CN.
        public let warnings: [String]
    }

    public struct CommonNameEntry: Sendable, Codable, Equatable {
        public let text: String
        public let hex: String
        public let stringType: String
    }

    public let subject: String
    public let issuer: String
    public let serial: String
    public let notBefore: String
    public let notAfter: String
    public let publicKey: String
    public let signatureAlgorithm: String
    public let subjectAlternativeNames: [String]
    public let basicConstraints: String?
    public let keyUsage: String?
    public let extendedKeyUsage: String?
    public let sha256Fingerprint: String
    /// All subject CNs in encoding order.
    public let commonNames: [CommonNameEntry]
    /// The name GlusterFS will authorise.
    public let glusterFSName: Name

    public init(_ certificate: Certificate) {
        subject = certificate.subject
        issuer = certificate.issuer
        serial = certificate.serialNumberHex
        notBefore = iso8601(certificate.notBefore)
        notAfter = iso8601(certificate.notAfter)
        publicKey = certificate.publicKey.description
        signatureAlgorithm = certificate.signatureAlgorithm
        subjectAlternativeNames = certificate.subjectAlternativeNames
        basicConstraints = certificate.basicConstraints?.description
        keyUsage = certificate.keyUsage?.description
        extendedKeyUsage = certificate.extendedKeyUsage?.description
        sha256Fingerprint = certificate.sha256Fingerprint
        commonNames = certificate.subjectCommonNames.map {
            CommonNameEntry(
                text: $0.displayText, hex: hexString($0.bytes).lowercased(),
                stringType: $0.stringType.description)
        }
        let name = certificate.glusterFSName
        glusterFSName = Name(text: name.displayText, hex: name.hex, warnings: name.warnings.map(\.description))
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

public import struct Foundation.Date

/// The verdict on one client certificate, under both layers:
///
/// 1. **GlusterFS** — would a TLS GlusterFS server accept it (OpenSSL set up as
///    GlusterFS does it), and under which name (``glusterFSName``);
/// 2. **policy** — does it meet gshare's strict tenant policy.
///
/// A failed verification is a value, not an error: every reason is in ``findings``.
public struct VerificationReport: Sendable {
    /// The certificate judged.
    public let certificate: Certificate
    /// The chain OpenSSL built, leaf first (as far as it got).
    public let chain: [Certificate]
    /// The name GlusterFS would authorise.
    public let glusterFSName: GlusterFSName
    /// Every reason found, errors and warnings, in chain order.
    public let findings: [Finding]
    /// The time the certificate was judged at.
    public let checkedAt: Date
    /// The security level the GlusterFS layer used (that of a fresh `SSL_CTX`).
    public let securityLevel: Int
    /// The validated identity, present only when both layers accept the certificate.
    public let identity: TenantIdentity?

    init(
        certificate: Certificate, chain: [Certificate], findings: [Finding], checkedAt: Date, securityLevel: Int
    ) {
        self.certificate = certificate
        self.chain = chain
        self.glusterFSName = certificate.glusterFSName
        self.findings = findings
        self.checkedAt = checkedAt
        self.securityLevel = securityLevel
        let valid = !findings.contains { $0.severity == .error }
        self.identity = valid ? TenantIdentity(certificate: certificate, chain: chain, name: glusterFSName) : nil
    }

    /// GlusterFS would complete the TLS handshake with this certificate.
    public var acceptedByGlusterFS: Bool {
        !findings.contains { $0.severity == .error && $0.layers.contains(.glusterFS) }
    }

    /// gshare's strict tenant policy accepts the certificate (implies ``acceptedByGlusterFS``).
    public var passesPolicy: Bool { !findings.contains { $0.severity == .error } }

    /// Valid under both layers.
    public var isValid: Bool { identity != nil }

    public var errors: [Finding] { findings.filter { $0.severity == .error } }
    public var warnings: [Finding] { findings.filter { $0.severity == .warning } }
}

/// A tenant identity gshare may grant access to: a certificate that passed both layers
/// of verification, and the exact name GlusterFS will see for it.
///
/// Only ``CertificateVerifier`` can create one (DESIGN.md principle 1): the driver's
/// allow API takes this type, never a raw string.
public struct TenantIdentity: Sendable, Hashable {
    /// The name to list in `auth.ssl-allow`: the first (and only) subject CN, checked
    /// against the name rule.
    public let commonName: CommonName
    /// The verified certificate.
    public let certificate: Certificate
    /// The chain it was verified with, leaf first, trust anchor last.
    public let chain: [Certificate]
    /// SHA-256 fingerprint of the certificate.
    public let fingerprint: String

    init?(certificate: Certificate, chain: [Certificate], name: GlusterFSName) {
        guard CommonName.problem(in: name.bytes) == nil else { return nil }
        self.commonName = CommonName(checkedBytes: name.bytes)
        self.certificate = certificate
        self.chain = chain
        self.fingerprint = certificate.sha256Fingerprint
    }

    public static func == (lhs: TenantIdentity, rhs: TenantIdentity) -> Bool {
        lhs.commonName == rhs.commonName && lhs.fingerprint == rhs.fingerprint
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(commonName)
        hasher.combine(fingerprint)
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

public import struct Foundation.Date

/// One certificate as the registry keeps it: the tenant's current one, or one of its history.
public struct CertificateRecord: Sendable, Hashable, Codable {
    /// The first subject CN, exactly as GlusterFS sees it.
    public let commonName: String
    /// SHA-256 fingerprint (the registry's identity for a certificate).
    public let fingerprint: String
    public let subject: String
    public let issuer: String
    /// The serial number in hex.
    public let serial: String
    public let notBefore: Date
    public let notAfter: Date
    /// When gshare onboarded this certificate.
    public let onboardedAt: Date
    /// The certificate (leaf only) in PEM.
    public let pem: String

    public init(
        commonName: String, fingerprint: String, subject: String, issuer: String, serial: String, notBefore: Date, notAfter: Date,
        onboardedAt: Date, pem: String
    ) {
        self.commonName = commonName
        self.fingerprint = fingerprint
        self.subject = subject
        self.issuer = issuer
        self.serial = serial
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.onboardedAt = onboardedAt
        self.pem = pem
    }

    /// Whether the certificate has expired at `time`.
    public func isExpired(at time: Date) -> Bool { notAfter < time }
}

/// A tenant: a name a person types, and the certificate whose CN GlusterFS will see.
public struct TenantRecord: Sendable, Hashable, Codable {
    /// Unique; by default the certificate's CN.
    public let name: String
    /// When the tenant was first onboarded.
    public let createdAt: Date
    /// The tenant's current certificate (the last one onboarded).
    public let certificate: CertificateRecord

    public init(name: String, createdAt: Date, certificate: CertificateRecord) {
        self.name = name
        self.createdAt = createdAt
        self.certificate = certificate
    }

    /// The CN that goes into `auth.ssl-allow`.
    public var commonName: String { certificate.commonName }
}

/// What onboarding a certificate did.
public enum OnboardOutcome: Sendable, Hashable {
    /// A new tenant.
    case new
    /// The tenant's certificate was replaced (renewed); the previous one stays in its history.
    case renewed(previousFingerprint: String)
    /// The tenant already had exactly this certificate: nothing changed.
    case unchanged
}

/// Tenant names: labels a person types, by the same rule as share names. Letters, digits,
/// `.`, `_`, `-`; 1–64 characters; starting with a letter or digit.
public enum TenantName {
    public static func isValid(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), let first = name.utf8.first else { return false }
        guard first != UInt8(ascii: "-") && first != UInt8(ascii: ".") && first != UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

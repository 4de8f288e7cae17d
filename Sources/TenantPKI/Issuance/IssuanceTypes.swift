//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import struct Foundation.Date
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a leaf certificate is for.
public enum CertificateProfile: String, Sendable, CaseIterable, Codable {
    /// A tenant: TLS client only (EKU clientAuth, CA:FALSE, digitalSignature).
    case client
    /// A TLS server only (EKU serverAuth).
    case server
    /// A GlusterFS node, or gshare's own identity: server and client (nodes also connect
    /// to each other as clients).
    case node

    func extensions(for keyType: KeyType, subjectAlternativeNames: [SubjectAlternativeName]) -> [(nid: Int32, value: String)] {
        let isRSA = [.rsa2048, .rsa3072, .rsa4096].contains(keyType)
        let keyUsage: String
        let extendedKeyUsage: String
        switch self {
        case .client:
            keyUsage = "critical,digitalSignature"
            extendedKeyUsage = "clientAuth"
        case .server:
            keyUsage = isRSA ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
            extendedKeyUsage = "serverAuth"
        case .node:
            keyUsage = isRSA ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
            extendedKeyUsage = "serverAuth,clientAuth"
        }
        var extensions: [(nid: Int32, value: String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, keyUsage),
            (NID_ext_key_usage, extendedKeyUsage), (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
        if !subjectAlternativeNames.isEmpty {
            extensions.append((NID_subject_alt_name, subjectAlternativeNames.map(\.description).joined(separator: ",")))
        }
        return extensions
    }
}

/// A subjectAltName entry gshare issues: `DNS:name` or `IP:address`.
public struct SubjectAlternativeName: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable { case dns = "DNS", ip = "IP" }
    public let kind: Kind
    public let value: String

    /// Parses `DNS:node1.example` or `IP:127.0.0.2` / `IP:::1`.
    public init(validating text: String) throws {
        func refuse(_ why: String) -> PKIError {
            PKIError(
                .issuanceRefused, path: "--san \"\(escapingControlCharacters(text))\"", reason: why,
                hint: "write DNS:host.example or IP:127.0.0.2")
        }
        guard let colon = text.firstIndex(of: ":") else { throw refuse("there is no DNS: or IP: prefix") }
        let prefix = text[..<colon].uppercased()
        let value = String(text[text.index(after: colon)...])
        switch prefix {
        case "DNS":
            if let problem = NameSyntax.dnsNameProblem(Array(value.utf8)) {
                throw refuse("\"\(escapingControlCharacters(value))\" is not a DNS name (letters, digits, '-' in dot-separated labels): it \(problem)")
            }
            self.kind = .dns
        case "IP":
            var buffer = [UInt8](repeating: 0, count: 16)
            guard inet_pton(AF_INET, value, &buffer) == 1 || inet_pton(AF_INET6, value, &buffer) == 1 else {
                throw refuse("\"\(escapingControlCharacters(value))\" is not an IPv4 or IPv6 address")
            }
            self.kind = .ip
        default:
            throw refuse("only DNS: and IP: names are issued")
        }
        self.value = value
    }

    public var description: String { "\(kind.rawValue):\(value)" }
}

/// Why a certificate was revoked (RFC 5280 CRLReason).
public enum RevocationReason: String, Sendable, CaseIterable, Codable {
    case unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation,
        certificateHold, privilegeWithdrawn, aACompromise

    var code: Int {
        switch self {
        case .unspecified: 0
        case .keyCompromise: 1
        case .cACompromise: 2
        case .affiliationChanged: 3
        case .superseded: 4
        case .cessationOfOperation: 5
        case .certificateHold: 6
        case .privilegeWithdrawn: 9
        case .aACompromise: 10
        }
    }
}

/// One line of a CA's record (`issued.tsv`): what it issued, and what it revoked.
public struct IssuanceRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case valid, revoked }
    public var status: Status
    /// Upper-case hex, as `gshare cert inspect` prints it.
    public let serial: String
    public let commonName: String
    /// `client`, `server`, `node`, or `intermediate-ca`.
    public let profile: String
    public let notBefore: Date
    public let notAfter: Date
    public var revokedAt: Date?
    public var reason: RevocationReason?
}

/// A freshly issued leaf certificate with its key and the chain to present with it.
public struct IssuedCertificate: Sendable {
    public let certificate: Certificate
    public let key: PrivateKey
    public let profile: CertificateProfile
    /// The issuing CA and any CA above it except the root: what follows the leaf in
    /// `glusterfs.pem`.
    public let intermediates: [Certificate]
    /// The root of the issuing hierarchy.
    public let root: Certificate

    /// Leaf, then intermediates, as PEM (`glusterfs.pem`).
    public var chainPEM: String { ([certificate] + intermediates).map(\.pemString).joined() }

    public var record: IssuanceRecord {
        IssuanceRecord(
            status: .valid, serial: certificate.serialNumberHex,
            commonName: certificate.glusterFSName.displayText, profile: profile.rawValue,
            notBefore: certificate.notBefore, notAfter: certificate.notAfter, revokedAt: nil, reason: nil)
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

public import Foundation
public import GlusterDriver
public import TenantPKI

/// One tenant as the doctor needs it: who it is, the name GlusterFS sees, and the facts of
/// its certificate. A plain value, so any registry (or a test) can supply it.
public struct DoctorTenant: Sendable, Equatable {
    /// The tenant's name in the registry ("tenant-a").
    public let name: String
    /// The name GlusterFS authorises for its certificate (what goes into `auth.ssl-allow`).
    public let commonName: String
    public let notAfter: Date
    /// The certificate's serial number in hexadecimal (any case; leading zeros and colons
    /// are ignored when compared with a CRL).
    public let serialHex: String
    /// The issuer as an RFC 2253 string, as ``Certificate/issuer`` renders it.
    public let issuer: String
    /// The certificate as the tenant presents it: the leaf first, then any intermediates.
    public let certificatePEM: String

    public init(name: String, commonName: String, notAfter: Date, serialHex: String, issuer: String, certificatePEM: String) {
        self.name = name
        self.commonName = commonName
        self.notAfter = notAfter
        self.serialHex = serialHex
        self.issuer = issuer
        self.certificatePEM = certificatePEM
    }

    /// A tenant described by its certificate chain (leaf first): CN as GlusterFS sees it,
    /// validity end, serial and issuer read from the leaf.
    ///
    /// - Throws: ``PKIError`` when `certificatePEM` holds no certificate.
    public init(name: String, certificatePEM: String) throws {
        let chain = try Certificate.parse(fileBytes: Array(certificatePEM.utf8), path: "the certificate of tenant \(name)")
        let leaf = chain[0]
        self.init(
            name: name, commonName: String(decoding: leaf.glusterFSName.bytes, as: UTF8.self), notAfter: leaf.notAfter, serialHex: leaf.serialNumberHex,
            issuer: leaf.issuer, certificatePEM: certificatePEM)
    }

    /// The serial in the form the doctor compares: upper case, no colons, no leading zeros.
    var normalizedSerial: String { SerialNumber.normalized(serialHex) }
}

enum SerialNumber {
    static func normalized(_ hex: String) -> String {
        let digits = hex.uppercased().filter { $0 != ":" }
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}

/// Everything `gshare doctor` and `gshare status` judge. Files are read by the caller (the
/// CRL directory by ``CRLDirectory/load(from:)``), so the checks themselves are pure.
public struct DoctorInput: Sendable {
    /// The pool as the servers see it now.
    public var inventory: PoolInventory
    /// The tenants the registry knows.
    public var tenants: [DoctorTenant]
    /// Whether ``tenants`` is the whole registry. When false (no registry yet), checks that
    /// need to know every tenant (an unknown CN on a share) are skipped rather than flagging
    /// every tenant CN.
    public var tenantsAreComplete: Bool
    /// The nodes' and gshare's own CNs (`system_cns`).
    public var systemCNs: [CommonName]
    /// gshare's own certificate (`manager_cert`), PEM, leaf first; nil when not configured.
    public var managerCertificatePEM: String?
    /// The tenant CRL folder (`tenant_crl_dir`), read; nil when not configured.
    public var crlDirectory: CRLDirectory?
    /// The CA certificates of the tenant hierarchy (`tenant_ca`, plus intermediates): every
    /// one needs a CRL, and their chain length sets the `ssl.certificate-depth` needed.
    public var tenantCACertificates: [Certificate]
    /// The time everything is judged at.
    public var now: Date
    /// Certificates ending within this many days draw a warning (`expiry_warning_days`).
    public var expiryWarningDays: Int
    /// The nodes' identities as they present them (empty when not learned).
    public var nodes: [NodeIdentity]
    /// Each trusted pool's nodes, bricks and lock volume (empty when not read).
    public var clusters: [ClusterHealth]
    /// How full each share is, by volume ID (empty when not read: sizes are not judged).
    public var usages: [String: VolumeUsage]
    /// The unit of recorded sizes (`share_size_unit`).
    public var sizeUnit: ShareSizeUnit

    public init(
        inventory: PoolInventory, tenants: [DoctorTenant], tenantsAreComplete: Bool = true, systemCNs: [CommonName],
        managerCertificatePEM: String? = nil, crlDirectory: CRLDirectory? = nil, tenantCACertificates: [Certificate] = [],
        now: Date, expiryWarningDays: Int = 30, nodes: [NodeIdentity] = [], clusters: [ClusterHealth] = [],
        usages: [String: VolumeUsage] = [:], sizeUnit: ShareSizeUnit = .gibibyte
    ) {
        self.inventory = inventory
        self.tenants = tenants
        self.tenantsAreComplete = tenantsAreComplete
        self.systemCNs = systemCNs
        self.managerCertificatePEM = managerCertificatePEM
        self.crlDirectory = crlDirectory
        self.tenantCACertificates = tenantCACertificates
        self.now = now
        self.expiryWarningDays = expiryWarningDays
        self.nodes = nodes
        self.clusters = clusters
        self.usages = usages
        self.sizeUnit = sizeUnit
    }

    /// The moment from which a certificate counts as "expiring soon".
    var warningHorizon: Date { now.addingTimeInterval(Double(expiryWarningDays) * 86400) }
}

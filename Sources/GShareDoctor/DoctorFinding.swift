//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

/// One thing `gshare doctor` found wrong (or worth knowing), what it breaks, and the fix.
///
/// Named `DoctorFinding`, not `Finding`: TenantPKI already has a public `Finding` (a reason
/// a certificate is unfit), and the CLI imports both modules.
public struct DoctorFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable identifier for the kind of problem (used as-is in `--json`).
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        // 1. TLS posture of pool volumes.
        /// `server.ssl` or `client.ssl` is off (or unset, which means off).
        public static let tlsOff = Code("tls-off")
        /// A registry tenant's CN is a system CN (critical: it is in every volume's list).
        public static let tenantIsSystemCN = Code("tenant-is-system-cn")
        /// `server.ssl` or `client.ssl` holds a word GlusterFS does not read as a boolean.
        public static let tlsMaybe = Code("tls-maybe")
        /// `auth.ssl-allow` is unset or lists `*`: every trusted certificate gets in.
        public static let allowListOpen = Code("allow-list-open")
        /// `auth.ssl-allow` holds glob patterns that match names nobody checked.
        public static let allowListGlob = Code("allow-list-glob")
        /// `server.dynamic-auth` is off: a deny does not disconnect anyone.
        public static let dynamicAuthOff = Code("dynamic-auth-off")
        /// server.ssl was turned on but the bricks have not restarted: still plain text.
        public static let restartPending = Code("restart-pending")
        /// The volume is not started.
        public static let volumeNotStarted = Code("volume-not-started")
        // 2.
        /// A system CN is missing from a list that is enforced.
        public static let systemCNMissing = Code("system-cn-missing")
        // 3. Registry ↔ volumes.
        /// A share lists a CN that no tenant owns and that is not a system CN.
        public static let unknownCN = Code("unknown-cn")
        /// A volume that holds no share lists a CN other than the system CNs.
        public static let cnOnFreeVolume = Code("cn-on-free-volume")
        /// gshare's grant record lists a CN that auth.ssl-allow does not (removed by hand).
        public static let grantedAccessMissing = Code("granted-access-missing")
        // 4. Tenant certificates.
        public static let tenantCertificateExpiring = Code("tenant-cert-expiring")
        public static let tenantCertificateExpired = Code("tenant-cert-expired")
        /// An expired tenant is still listed on a share.
        public static let expiredTenantListed = Code("expired-tenant-listed")
        // 5.
        /// A tenant whose certificate a CRL revokes is still listed on a share.
        public static let revokedTenantListed = Code("revoked-tenant-listed")
        // 6. The CRL directory.
        public static let crlDirectoryUnreadable = Code("crl-dir-unreadable")
        /// A CA certificate in the CRL folder: in ssl.crl-path it becomes a trust anchor.
        public static let crlDirectoryHoldsCertificate = Code("crl-dir-holds-certificate")
        /// A file in the CRL folder that is neither a CRL nor a certificate.
        public static let crlDirectoryUnknownFile = Code("crl-dir-unknown-file")
        /// A CRL not under the name OpenSSL looks it up by (`<issuer hash>.rN`).
        public static let crlNotHashed = Code("crl-not-hashed")
        /// A CA of the tenant hierarchy has no CRL in the folder.
        public static let crlMissing = Code("crl-missing")
        public static let crlExpired = Code("crl-expired")
        public static let crlExpiring = Code("crl-expiring")
        // 7. gshare's own identity.
        public static let managerCertificateExpiring = Code("manager-cert-expiring")
        public static let managerCertificateExpired = Code("manager-cert-expired")
        public static let managerCertificateUnreadable = Code("manager-cert-unreadable")
        /// gshare's own CN is not a system CN, so a list may lose it.
        public static let managerCNNotSystem = Code("manager-cn-not-system")
        // 8.
        /// `ssl.certificate-depth` is smaller than the tenants' chains need.
        public static let certificateDepthTooSmall = Code("certificate-depth-too-small")
        /// `ssl.certificate-depth` is not a number.
        public static let certificateDepthInvalid = Code("certificate-depth-invalid")
        // 9. The nodes' own identities.
        /// A node's certificate CN is not in `system_cns`: its self-heal daemon, heal info
        /// and quota are refused by the bricks.
        public static let nodeCNNotSystem = Code("node-cn-not-system")
        /// A `system_cns` entry that no node and not gshare holds.
        public static let systemCNUnheld = Code("system-cn-unheld")
        /// A node's certificate could not be read.
        public static let nodeCNUnknown = Code("node-cn-unknown")

        // 10. The trusted pools: nodes, bricks, the cluster lock.
        /// A peer of the pool is disconnected: changes still succeed; it applies them when
        /// it rejoins.
        public static let peerDisconnected = Code("peer-disconnected")
        /// A pool volume has bricks down but still serves its clients.
        public static let bricksDown = Code("bricks-down")
        /// A pool volume lost the quorum of a replica set: its clients fail.
        public static let volumeNotServing = Code("volume-not-serving")
        /// The pool has no lock volume: gshare locks changes on this host only.
        public static let clusterLockLocalOnly = Code("cluster-lock-local-only")
        /// The lock volume exists but gshare cannot take its lock there (stopped, or its
        /// list leaves gshare out): every change fails.
        public static let lockVolumeUnusable = Code("lock-volume-unusable")
        /// The lock volume does not enforce TLS: anyone who reaches it can hold gshare's locks.
        public static let lockVolumeOpen = Code("lock-volume-open")
        /// The pool's health could not be read.
        public static let clusterHealthUnknown = Code("cluster-health-unknown")

        // 11. Share sizes.
        /// Quota cannot work on a share's volume (quotad refused: node CNs missing).
        public static let quotadRefused = Code("quotad-refused")
        /// A share with a recorded size has no quota limit.
        public static let quotaMissing = Code("quota-missing")
        /// A share's quota limit differs from its recorded size.
        public static let quotaMismatch = Code("quota-mismatch")
        /// A share holds its soft limit's share of its size or more.
        public static let shareOverSoftLimit = Code("share-over-soft-limit")
        /// A share without a recorded size (made before sizes were enforced).
        public static let sizeUnknown = Code("size-unknown")
    }

    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// Something is exposed or broken now.
        case critical
        /// Will break, or weakens a guarantee.
        case warning
        /// Worth knowing.
        case info

        private var rank: Int {
            switch self {
            case .critical: 0
            case .warning: 1
            case .info: 2
            }
        }

        /// Critical sorts first.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public let code: Code
    public let severity: Severity
    /// The pool volume concerned (`host:/volume`), if any.
    public let volume: String?
    /// The share concerned (its id), if any.
    public let share: String?
    /// The tenant concerned (its registry name), if any.
    public let tenant: String?
    /// What is wrong and why it matters, naming the object.
    public let message: String
    /// The exact command(s) that fix it, or what to do.
    public let fix: String
    /// What `doctor --fix` may apply on its own; nil when a person must decide.
    public let fixAction: FixAction?

    /// Whether `doctor --fix` applies it automatically.
    public var safeFix: Bool { fixAction != nil }

    init(
        _ code: Code, _ severity: Severity, volume: String? = nil, share: String? = nil, tenant: String? = nil, _ message: String,
        fix: String, action: FixAction? = nil
    ) {
        self.code = code
        self.severity = severity
        self.volume = volume
        self.share = share
        self.tenant = tenant
        self.message = message
        self.fix = fix
        self.fixAction = action
    }

    public var description: String { "[\(severity.rawValue)] [\(code)] \(message) — fix: \(fix)" }

    private enum CodingKeys: String, CodingKey { case code, severity, volume, share, tenant, message, fix, safeFix, fixAction }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Code.self, forKey: .code)
        severity = try container.decode(Severity.self, forKey: .severity)
        volume = try container.decodeIfPresent(String.self, forKey: .volume)
        share = try container.decodeIfPresent(String.self, forKey: .share)
        tenant = try container.decodeIfPresent(String.self, forKey: .tenant)
        message = try container.decode(String.self, forKey: .message)
        fix = try container.decode(String.self, forKey: .fix)
        fixAction = try container.decodeIfPresent(FixAction.self, forKey: .fixAction)
    }

    /// Encodes every field, plus `safeFix` for readers of `--json`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(severity, forKey: .severity)
        try container.encodeIfPresent(volume, forKey: .volume)
        try container.encodeIfPresent(share, forKey: .share)
        try container.encodeIfPresent(tenant, forKey: .tenant)
        try container.encode(message, forKey: .message)
        try container.encode(fix, forKey: .fix)
        try container.encode(safeFix, forKey: .safeFix)
        try container.encodeIfPresent(fixAction, forKey: .fixAction)
    }
}

/// A fix `gshare doctor --fix` can execute without asking: each only narrows access or
/// restores the servers' own, never lets a new name in.
public enum FixAction: Sendable, Hashable, Codable {
    /// Add the missing system CNs to the volume's `auth.ssl-allow` (the volume as
    /// `host:/volume`, ``GlusterDriver/GlusterTarget``'s description).
    case addSystemCNs(volume: String)
    /// Remove `cn` from the share's `auth.ssl-allow` (`gshare access deny SHARE --cn CN`).
    case removeCN(share: String, cn: String)
    /// Set the share's quota limit to its recorded size again (quota on when off).
    case restoreQuota(share: String)
}

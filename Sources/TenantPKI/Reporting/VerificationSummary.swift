//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// A ``VerificationReport`` as plain values: the stable `--json` form of
/// `gshare cert verify`, one per file.
public struct VerificationSummary: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public let accepted: Bool
    }

    public struct GlusterFSLayer: Sendable, Codable, Equatable {
        public let accepted: Bool
        /// The name GlusterFS would authorise (text, `\xNN` escapes) and its bytes in hex.
        public let name: String
        public let nameHex: String
        public let nameWarnings: [String]
        /// The OpenSSL security level used (that of a fresh SSL_CTX unless overridden).
        public let securityLevel: Int
    }

    public struct FindingEntry: Sendable, Codable, Equatable {
        public let code: String
        public let severity: String
        /// `glusterfs` and/or `policy`: the verdicts this finding counts against.
        public let layers: [String]
        public let message: String
        public let fix: String
        public let depth: Int?
    }

    public struct ChainEntry: Sendable, Codable, Equatable {
        public let subject: String
        public let sha256Fingerprint: String
    }

    public struct ErrorEntry: Sendable, Codable, Equatable {
        public let code: String
        public let message: String

        public init(_ error: PKIError) {
            self.code = error.code.rawValue
            self.message = error.description
        }
    }

    public let file: String
    /// Valid under both layers (nil when the file could not be judged).
    public let valid: Bool?
    public let glusterfs: GlusterFSLayer?
    public let policy: Layer?
    /// The name gshare would grant: present only when valid.
    public let tenantCommonName: String?
    public let checkedAt: String?
    public let chain: [ChainEntry]?
    public let findings: [FindingEntry]?
    /// Why the file could not be judged (exit status 2).
    public let error: ErrorEntry?

    public init(file: String, report: VerificationReport) {
        self.file = file
        self.valid = report.isValid
        let name = report.glusterFSName
        self.glusterfs = GlusterFSLayer(
            accepted: report.acceptedByGlusterFS, name: name.displayText, nameHex: name.hex,
            nameWarnings: name.warnings.map(\.description), securityLevel: report.securityLevel)
        self.policy = Layer(accepted: report.passesPolicy)
        self.tenantCommonName = report.identity?.commonName.value
        self.checkedAt = iso8601(report.checkedAt)
        self.chain = report.chain.map { ChainEntry(subject: $0.subject, sha256Fingerprint: $0.sha256Fingerprint) }
        self.findings = report.findings.map { finding in
            FindingEntry(
                code: finding.code.rawValue, severity: finding.severity.rawValue,
                layers: (finding.layers.contains(.glusterFS) ? ["glusterfs"] : []) + (finding.layers.contains(.policy) ? ["policy"] : []),
                message: finding.message, fix: finding.fix, depth: finding.depth)
        }
        self.error = nil
    }

    public init(file: String, error: PKIError) {
        self.file = file
        self.valid = nil
        self.glusterfs = nil
        self.policy = nil
        self.tenantCommonName = nil
        self.checkedAt = nil
        self.chain = nil
        self.findings = nil
        self.error = ErrorEntry(error)
    }
}

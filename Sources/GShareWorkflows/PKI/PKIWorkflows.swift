//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import Logging
public import TenantPKI

/// A new CA.
public struct CreatedAuthority: Sendable {
    public let authority: CertificateAuthority
    public let keyType: KeyType
    /// Every file created, in the order of the layout.
    public var files: [String] { ["ca.pem", "ca.key", "chain.pem", "issued.tsv", "ca.json"].map { "\(authority.directory)/\($0)" } }
}

/// A certificate issued and laid out for GlusterFS.
public struct IssuedCredentials: Sendable {
    public let authority: CertificateAuthority
    public let issued: IssuedCertificate
    public let keyType: KeyType
    /// Every file written, in order.
    public let files: [String]
    /// The roots written to glusterfs.ca.
    public let trustAnchors: [Certificate]
    /// Trust-model concerns.
    public let warnings: [String]
}

/// A revocation recorded in a CA's record.
public struct Revocation: Sendable {
    public let authority: CertificateAuthority
    public let record: IssuanceRecord
    /// True when the record already had it revoked (nothing changed).
    public let alreadyRevoked: Bool
}

/// CRLs published for a CA and every CA above it.
public struct PublishedCRLs: Sendable {
    /// The CA and its ancestors, nearest first, with how many certificates each revoked.
    public let authorities: [(authority: CertificateAuthority, revoked: Int)]
    public let outcome: CRLPublisher.Outcome
}

/// A lab PKI built (or completed).
public struct BuiltLab: Sendable {
    /// The profile file used.
    public let profile: String
    public let outcome: LabBuilder.Outcome
}

/// What identifies the certificate to revoke.
public enum RevocationTarget: Sendable, Hashable {
    /// A serial number, hex (colons and case do not matter).
    case serial(String)
    /// A certificate file (its first certificate: the leaf of a glusterfs.pem).
    case certificate(path: String)
}

/// The lab PKI: CAs, node and client certificates laid out for GlusterFS, revocations and
/// CRLs. Revocations are recorded in the audit log (``audit``); issuance is recorded in
/// each CA folder's own record (issued.tsv).
public struct PKIWorkflows: Sendable {
    public let context: WorkflowContext
    /// Where revocations are audited.
    public let audit: AuditLog
    /// The system CNs a tenant-side CA must never issue (a configuration's `system_cns`),
    /// beyond those the CA folder itself knows.
    public let systemCNs: Set<String>

    /// - Parameters:
    ///   - auditStateDirectory: the state folder whose audit log records revocations (a
    ///     configuration's `state_dir`); default: the default state folder.
    ///   - systemCNs: a configuration's `system_cns`.
    public init(context: WorkflowContext, auditStateDirectory: String? = nil, systemCNs: [String] = []) {
        self.context = context
        self.systemCNs = Set(systemCNs)
        self.audit = AuditLog(
            stateDirectory: auditStateDirectory ?? GShareConfig.defaultStateDirectory(environment: ProcessInfo.processInfo.environment),
            context: context)
    }

    /// A root CA in `directory`, or with `parent` an intermediate under it, named
    /// `commonName` (default: `gshare <folder name> CA`).
    /// A tenant-hierarchy CA refuses to issue `reservedNames` (and its parent's).
    public func createAuthority(
        in directory: String, commonName: String?, keyType: KeyType, days: Int?, parent: String?, hierarchy: CertificateHierarchy? = nil,
        reservedNames: [String] = []
    ) throws(WorkflowError) -> CreatedAuthority {
        try reportedSync {
            let issuer = try parent.map { try CertificateAuthority.load(from: $0) }
            let name = commonName ?? "gshare \(URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent) CA"
            let reserved = try reservedNames.map { try CommonName(validating: $0).value }
            let authority = try CertificateAuthority.create(
                in: directory, commonName: name, keyType: keyType, days: days, parent: issuer, hierarchy: hierarchy, reservedNames: reserved)
            return CreatedAuthority(authority: authority, keyType: keyType)
        }
    }

    /// Issues a certificate with a new key and lays it out for GlusterFS in `output`
    /// (default: a folder named after the CN): `NAME.pem`, `NAME.key` (0600) and
    /// `glusterfs/{glusterfs.pem,.key,.ca}`, whose `.ca` holds `peerRoots` (and for a
    /// node, its own root). The CA records it.
    ///
    /// A tenant-side CA (a tenant hierarchy, or one that does not know its hierarchy issuing
    /// a client certificate) refuses a system CN: those it records, ``systemCNs``, and every
    /// name the node hierarchy beside it issued (the `pki lab` layout: `ca/node-*`).
    public func issue(
        ca: String, commonName: String, profile: CertificateProfile, subjectAlternativeNames: [String], days: Int?, keyType: KeyType,
        output: String?, peerRoots peerFiles: [String], replacing: Bool
    ) throws(WorkflowError) -> IssuedCredentials {
        try reportedSync {
            let name = try CommonName(validating: commonName)
            let alternativeNames = try subjectAlternativeNames.map(SubjectAlternativeName.init(validating:))
            let authority = try CertificateAuthority.load(from: ca)
            let peerRoots = try peerFiles.flatMap { try Certificate.load(fromFile: $0) }
            let reserved = systemCNs.union(Self.namesIssuedByTheNodeHierarchy(beside: authority))
            let issued = try authority.issue(
                commonName: name, profile: profile, keyType: keyType, subjectAlternativeNames: alternativeNames, days: days, reserved: reserved)
            let layout = try GlusterFSLayout.write(issued, name: name.value, to: output ?? name.value, peerRoots: peerRoots, replacing: replacing)
            try authority.appendRecords([issued.record])
            let anchors = GlusterFSLayout.trustAnchors(for: profile, ownRoot: issued.root, peerRoots: peerRoots).anchors
            context.logger.info("issued \(name) (\(profile.rawValue)) by \(authority.directory)")
            return IssuedCredentials(
                authority: authority, issued: issued, keyType: keyType, files: layout.written, trustAnchors: anchors, warnings: layout.warnings)
        }
    }

    /// Marks a certificate revoked in the record of the CA that issued it (publish with
    /// ``publishCRLs(ca:days:output:)``). Revoking twice changes nothing. Audited.
    public func revoke(ca: String, _ target: RevocationTarget, reason: RevocationReason) async throws(WorkflowError) -> Revocation {
        let described: String
        switch target {
        case .serial(let serial): described = "serial \(serial)"
        case .certificate(let path): described = path
        }
        return try await audit.audited(
            "\(ca): \(described)",
            summary: { $0.alreadyRevoked ? "already revoked: \($0.record.commonName) (serial \($0.record.serial))" : "revoked \($0.record.commonName) (serial \($0.record.serial), \(reason.rawValue))" }
        ) {
            let authority = try CertificateAuthority.load(from: ca)
            let now = context.now()
            let record: IssuanceRecord
            switch target {
            case .serial(let serial):
                record = try authority.revoke(serial: serial, reason: reason, at: now)
            case .certificate(let path):
                guard let certificate = try Certificate.load(fromFile: path).first else {
                    throw WorkflowError(.noCertificate, .failed, subject: path, message: "\(path) holds no certificate")
                }
                record = try authority.revoke(certificate: certificate, reason: reason, at: now)
            }
            return Revocation(authority: authority, record: record, alreadyRevoked: record.revokedAt != now)
        }
    }

    /// CRLs for `ca` and every CA above it, plus a `hashed/` folder for `ssl.crl-path`.
    public func publishCRLs(ca: String, days: Int, output: String?) throws(WorkflowError) -> PublishedCRLs {
        try reportedSync {
            let authority = try CertificateAuthority.load(from: ca)
            let authorities = try [authority] + authority.ancestors()
            let outcome = try CRLPublisher.publish(for: authorities, days: days, to: output ?? "\(authority.directory)/crl")
            let counted = try authorities.map { ($0, try $0.records().count { $0.status == .revoked }) }
            return PublishedCRLs(authorities: counted, outcome: outcome)
        }
    }

    /// Builds (or completes) a lab PKI in `directory` from a profile file (default:
    /// `pki/lab.toml` under the current folder), with nodes or tenants replaced when given.
    /// Progress: one ``ProgressEvent/step(completed:total:item:)`` per host.
    public func buildLab(in directory: String, profile: String?, nodes: [String]?, tenants: [String]?, tenantCount: Int?) throws(WorkflowError)
        -> BuiltLab
    {
        let progress = context.progress
        defer { progress.finish() }
        return try reportedSync {
            let profilePath = profile ?? Self.defaultLabProfile
            // Names from the command line are checked first: a hostile one is refused whatever the profile.
            let nodeNames = try nodes.map { try $0.map(CommonName.init(validating:)) }
            let tenantNames = try tenants.map { try $0.map(CommonName.init(validating:)) } ?? tenantCount.map(Self.numberedTenants)
            if profile == nil && !FileManager.default.fileExists(atPath: profilePath) {
                throw WorkflowError(
                    .fileUnreadable, .failed, subject: profilePath,
                    message: "\(profilePath): there is no lab profile here (the default, relative to the current folder "
                        + "\(FileManager.default.currentDirectoryPath))",
                    fix: "give one with --profile FILE, e.g. the repository's pki/lab.toml")
            }
            var lab = try LabProfile.load(fromFile: profilePath)
            if let nodeNames { lab.nodes = nodeNames }
            if let tenantNames { lab.tenants = tenantNames }
            let outcome = try LabBuilder.build(lab, in: directory) { progress.report($0.event) }
            return BuiltLab(profile: profilePath, outcome: outcome)
        }
    }

    /// The leaf names the node CAs beside `authority` issued, where gshare can know them: the
    /// folders next to it that say they are of the node hierarchy (or are named `node-*`, as
    /// `pki lab` makes them). Empty for a node CA.
    static func namesIssuedByTheNodeHierarchy(beside authority: CertificateAuthority) -> Set<String> {
        guard authority.hierarchy != .node else { return [] }
        let parent = URL(fileURLWithPath: authority.directory).deletingLastPathComponent()
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var names = Set<String>()
        for folder in folders where folder != URL(fileURLWithPath: authority.directory).lastPathComponent {
            guard let sibling = try? CertificateAuthority.load(from: parent.appendingPathComponent(folder).path) else { continue }
            guard sibling.hierarchy == .node || (sibling.hierarchy == nil && folder.hasPrefix("node-")) else { continue }
            for record in (try? sibling.records()) ?? [] where record.profile != "intermediate-ca" { names.insert(record.commonName) }
        }
        return names
    }

    /// The lab profile used when none is given.
    public static let defaultLabProfile = "pki/lab.toml"

    /// `tenant-0001` … `tenant-NNNN` (at least four digits).
    public static func numberedTenants(_ count: Int) throws -> [CommonName] {
        try (0..<count).map { try CommonName(validating: String(format: "tenant-%04d", $0 + 1)) }
    }
}

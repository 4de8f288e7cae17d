//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import TenantPKI

// The `--json` forms of `gshare pki …` (their text forms: PKIText).

extension PKIWorkflows {
    /// The PKI workflows of this invocation; with `configuration`, revocations are audited in
    /// the configuration's state folder when one is found (`--config`, $GSHARE_CONFIG, …),
    /// else in the default one.
    init(_ cli: Invocation, _ configuration: ConfigOptions? = nil) throws {
        self.init(context: cli.context, auditStateDirectory: try configuration.map { try ConfigurationWorkflow.auditStateDirectory($0.source) })
    }

    /// The PKI workflows for issuing: a tenant-side CA also refuses the system CNs of the
    /// configuration, when there is one (`--config`, $GSHARE_CONFIG, …).
    init(_ cli: Invocation, issuingWith configuration: ConfigOptions) throws {
        self.init(context: cli.context, systemCNs: try ConfigurationWorkflow.systemCommonNames(configuration.source))
    }
}

/// `gshare pki init-ca --json`.
struct InitCADocument: Codable {
    /// The CA folder (absolute).
    let directory: String
    /// `root` or `intermediate`.
    let role: String
    /// The parent CA folder (intermediates only).
    let parent: String?
    let keyType: String
    /// Every file created, in the order of the layout.
    let files: [String]
    let certificate: CertificateSummary

    init(_ created: CreatedAuthority) {
        let authority = created.authority
        directory = authority.directory
        role = authority.isRoot ? "root" : "intermediate"
        parent = authority.parentDirectory
        keyType = created.keyType.rawValue
        files = created.files
        certificate = CertificateSummary(authority.certificate)
    }
}

/// `gshare pki issue --json`.
struct IssueDocument: Codable {
    /// The issuing CA's folder.
    let ca: String
    let commonName: String
    let profile: String
    let keyType: String
    /// The output folder (absolute).
    let directory: String
    /// Every file written, in order.
    let files: [String]
    let certificate: CertificateSummary
    /// Subjects of the CA certificates that follow the leaf in glusterfs.pem.
    let intermediates: [String]
    /// Subjects of the roots in glusterfs.ca.
    let trustAnchors: [String]
    /// The CA's record, which now lists this certificate.
    let record: String
    /// Trust-model concerns (also printed on stderr).
    let warnings: [String]

    init(_ credentials: IssuedCredentials) {
        let issued = credentials.issued
        ca = credentials.authority.directory
        commonName = issued.certificate.glusterFSName.displayText
        profile = issued.profile.rawValue
        keyType = credentials.keyType.rawValue
        directory = credentials.files.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? ""
        files = credentials.files
        certificate = CertificateSummary(issued.certificate)
        intermediates = issued.intermediates.map(\.subject)
        trustAnchors = credentials.trustAnchors.map(\.subject)
        record = "\(credentials.authority.directory)/issued.tsv"
        warnings = credentials.warnings
    }
}

/// `gshare pki revoke --json`.
struct RevokeDocument: Codable {
    let ca: String
    let serial: String
    let commonName: String
    /// `client`, `server`, `node` or `intermediate-ca`.
    let profile: String
    let reason: String
    let revokedAt: String
    /// True when the record already had it revoked (nothing changed).
    let alreadyRevoked: Bool
    /// The command that publishes the revocation.
    let publishWith: String

    init(_ revocation: Revocation) {
        let record = revocation.record
        ca = revocation.authority.directory
        serial = record.serial
        commonName = record.commonName
        profile = record.profile
        reason = (record.reason ?? .unspecified).rawValue
        revokedAt = (record.revokedAt ?? Date()).formatted(.iso8601)
        alreadyRevoked = revocation.alreadyRevoked
        publishWith = "gshare pki crl --ca \(revocation.authority.directory)"
    }
}

/// `gshare pki crl --json`.
struct CRLDocument: Codable {
    struct Authority: Codable {
        let directory: String
        let subject: String
        /// How many certificates this CA's CRL lists.
        let revoked: Int
    }

    /// The CA and its ancestors, nearest first.
    let authorities: [Authority]
    /// Every file written.
    let files: [String]
    /// The folder for GlusterFS's `ssl.crl-path`.
    let hashedDirectory: String
    /// When the CRLs expire (RFC 3339): publish again before then.
    let nextUpdate: String
    let warnings: [String]

    init(_ published: PublishedCRLs) {
        authorities = published.authorities.map {
            Authority(directory: $0.authority.directory, subject: $0.authority.certificate.subject, revoked: $0.revoked)
        }
        files = published.outcome.written
        hashedDirectory = published.outcome.hashedDirectory
        nextUpdate = published.outcome.nextUpdate.formatted(.iso8601)
        warnings = published.outcome.warnings
    }
}

/// `gshare pki lab --json`.
struct LabDocument: Codable {
    struct CRLs: Codable {
        let files: [String]
        /// The folder for GlusterFS's `ssl.crl-path`.
        let hashedDirectory: String
        let nextUpdate: String
    }

    let directory: String
    let profile: String
    /// CA folders created in this run (absolute).
    let createdAuthorities: [String]
    /// Hosts issued in this run.
    let issued: [String]
    /// Hosts that were already there (left untouched).
    let alreadyPresent: [String]
    let crl: CRLs
    let warnings: [String]

    init(_ built: BuiltLab) {
        let outcome = built.outcome
        directory = outcome.directory
        profile = built.profile
        createdAuthorities = outcome.createdAuthorities
        issued = outcome.issued
        alreadyPresent = outcome.skipped
        crl = CRLs(
            files: outcome.crl.written, hashedDirectory: outcome.crl.hashedDirectory, nextUpdate: outcome.crl.nextUpdate.formatted(.iso8601))
        warnings = outcome.warnings
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import GlusterDriver
import TenantPKI

/// How tenant certificates are judged wherever one is let in (onboarding, `access allow
/// --cert`, and by name or CN the certificate the registry holds): against `tenant_ca`, with
/// the strict policy, the system CNs refused, and — when `tenant_crl_dir` is set — the CRLs
/// of that folder checked for every CA of the chain, as GlusterFS checks them
/// (CRL_CHECK_ALL): a revoked certificate, a CA without a CRL or a CRL past its nextUpdate
/// is refused with the reason and the fix.
struct TenantTrust {
    let config: GShareConfig
    let tenantCA: String
    /// The time certificates and CRLs are judged at.
    let now: Date

    init(config: GShareConfig, now: Date, subject: String) throws(WorkflowError) {
        guard let tenantCA = config.tenantCA else {
            throw WorkflowError(
                .notConfigured, .refused, subject: subject,
                message: "\(subject) needs tenant_ca in gshare.toml (the tenant root that certificates are validated against)",
                fix: "set tenant_ca in gshare.toml")
        }
        self.config = config
        self.tenantCA = tenantCA
        self.now = now
    }

    /// The verifier: tenant_ca, `untrusted` and `crlFiles` (given for one request), and every
    /// CRL in `tenant_crl_dir`.
    func verifier(untrusted: [String] = [], crlFiles: [String] = []) throws -> CertificateVerifier {
        let anchors = try Certificate.load(fromFile: tenantCA)
        let intermediates = try untrusted.flatMap { try Certificate.load(fromFile: $0) }
        let crls = try crlFiles.flatMap { try RevocationList.load(fromFile: $0) } + (try folderCRLs())
        return CertificateVerifier(
            trustStore: TrustStore(
                anchors: anchors, intermediates: intermediates, revocationLists: crls,
                checksRevocation: !crls.isEmpty || config.tenantCRLDirectory != nil),
            options: VerificationOptions(time: now, reservedCommonNames: Set(config.systemCNs.map(\.value))))
    }

    /// Every CRL in `tenant_crl_dir` (none when it is not set). A file that is not a CRL is
    /// left to `gshare doctor` (`crl-dir-holds-certificate`, `crl-dir-unknown-file`).
    func folderCRLs() throws -> [RevocationList] {
        guard let path = config.tenantCRLDirectory else { return [] }
        let folder = CRLDirectory.load(from: path)
        if let problem = folder.readError {
            throw WorkflowError(
                .fileUnreadable, .failed, subject: path, message: "tenant_crl_dir \(path) cannot be read: \(problem)",
                fix: "fix the folder's permissions, or the tenant_crl_dir setting in gshare.toml")
        }
        return folder.revocationLists.map(\.crl)
    }

    /// Judges the certificate chain a tenant presents (PEM: leaf first): refused with every
    /// reason when it does not pass.
    func verify(chainPEM: String, as subject: String) throws -> TenantIdentity {
        let chain = try Certificate.parse(fileBytes: Array(chainPEM.utf8), path: subject)
        let report = try verifier().verify(chain: chain)
        guard let identity = report.identity else {
            throw InvalidCertificate(path: subject, tenantCA: tenantCA, summary: VerificationSummary(file: subject, report: report)).error
        }
        return identity
    }
}

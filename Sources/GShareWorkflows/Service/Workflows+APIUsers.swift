//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
public import TenantPKI
public import TenantRegistry

extension Workflows {
    /// Registers a user of the share API: the certificate it will present to `gshare serve
    /// --client-ca` (its CN names the user to the server; only this very certificate, by its
    /// SHA-256 fingerprint, authenticates it), the project it acts for and its role. Audited.
    ///
    /// Refused: a certificate that is not one, has expired, or whose CN is not a valid CN or
    /// is a system CN; an invalid project ID; a name or CN another API user holds.
    public func addAPIUser(name: String, certificatePath: String, project: String, role: APIUserRecord.Role) async throws(WorkflowError) -> APIUserRecord {
        try await audit.audited(name, summary: { "API user \($0.name) (CN \($0.commonName)) added: project \($0.project), \($0.role.rawValue)" }) {
            guard ProjectID.isValid(project) else {
                throw WorkflowError(
                    .invalidRequest, .refused, subject: project, message: "'\(project)' is not a project ID: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    fix: "name the project the user acts for, e.g. --project 3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b")
            }
            guard let certificate = try Certificate.load(fromFile: certificatePath).first else {
                throw WorkflowError(.noCertificate, .refused, subject: certificatePath, message: "\(certificatePath) holds no certificate")
            }
            let cn: CommonName
            do {
                cn = try CommonName(validating: String(decoding: certificate.glusterFSName.bytes, as: UTF8.self))
            } catch {
                throw WorkflowError(.invalidCommonName, .refused, subject: certificatePath, message: "\(certificatePath): its CN is not a valid CN: \(error)")
            }
            if config.systemCNs.contains(cn) {
                throw WorkflowError(
                    .systemCommonName, .refused, subject: cn.value, message: "\(cn) is a system CN (a GlusterFS node or gshare itself); an API user needs a certificate of its own",
                    fix: "issue the API client a certificate with a CN of its own (gshare pki issue --profile client)")
            }
            if certificate.notAfter < context.now() {
                throw WorkflowError(
                    .tenantCertificateExpired, .refused, subject: certificatePath,
                    message: "\(certificatePath) expired at \(RFC3339.format(certificate.notAfter)); nothing was added", fix: "give the renewed certificate")
            }
            let user = APIUserRecord(
                name: name, commonName: cn.value, fingerprint: certificate.sha256Fingerprint, notAfter: certificate.notAfter, project: project, role: role,
                createdAt: context.now())
            try registry().addAPIUser(user)
            return user
        }
    }

    /// Every API user.
    public func apiUsers() throws(WorkflowError) -> [APIUserRecord] {
        try reportedSync { try registry().apiUsers() }
    }

    /// Removes an API user: its certificate no longer opens the share API. Audited.
    public func removeAPIUser(_ name: String) async throws(WorkflowError) -> APIUserRecord {
        try await audit.audited(name, summary: { "API user \($0.name) (CN \($0.commonName)) removed" }) {
            try registry().removeAPIUser(named: name)
        }
    }

    /// The API user a client certificate authenticates: its CN names the user, and it must
    /// be the very certificate registered (same SHA-256 fingerprint). Nil otherwise.
    public func apiUser(presenting certificate: Certificate) throws(WorkflowError) -> APIUserRecord? {
        let cn = String(decoding: certificate.glusterFSName.bytes, as: UTF8.self)
        guard let user = try reportedSync({ try registry().apiUser(commonName: cn) }) else { return nil }
        return user.fingerprint == certificate.sha256Fingerprint ? user : nil
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
public import GlusterDriver
import TenantPKI
import TenantRegistry

/// Who a grant or a deny is about, as the caller names it.
public enum IdentitySelector: Sendable, Hashable, CustomStringConvertible {
    /// A tenant of the registry, by name: its recorded CN.
    case tenant(String)
    /// A common name, checked by the same rules as certificates.
    case commonName(String)
    /// The CN of a tenant of the registry (the share API's `access_to`): for allow, the
    /// tenant must be onboarded with that CN, its certificate neither expired nor (with
    /// `tenant_crl_dir`) revoked.
    case tenantCommonName(String)
    /// A tenant certificate (PEM, chain after the leaf allowed), with intermediates that
    /// complete its chain and CRLs to check it against.
    case certificate(path: String, untrusted: [String] = [], crls: [String] = [])

    public var description: String {
        switch self {
        case .tenant(let name): "tenant \(name)"
        case .commonName(let cn): "--cn \(cn)"
        case .tenantCommonName(let cn): "CN \(cn)"
        case .certificate(let path, _, _): "certificate \(path)"
        }
    }
}

/// Which way a change goes: letting a name in, or throwing it out.
public enum GrantDirection: String, Sendable, Hashable, Codable {
    case allow, deny
}

/// The grant policy: which CN an identity resolves to, and whether it may be let in.
///
/// - Allow: a certificate must pass both validation layers against `tenant_ca` (its first
///   CN, exactly as GlusterFS reads it); a tenant name must be in the registry with a
///   certificate that has not expired; a CN must follow the CN rules.
/// - Deny: any certificate whose GlusterFS-visible name follows the CN rules will do, and
///   a tenant's recorded CN whatever its expiry, so that throwing out an expired or revoked
///   tenant always works.
///
/// Every front end resolves identities here, and only here.
public struct GrantPolicy: Sendable {
    public let config: GShareConfig
    public let now: Date

    public init(config: GShareConfig, now: Date) {
        self.config = config
        self.now = now
    }

    /// The name that goes into (or out of) auth.ssl-allow for `selector`.
    /// - Throws: ``WorkflowError`` (refused: unknown tenant, expired certificate, invalid
    ///   certificate or CN; failed: unreadable files, the registry).
    public func resolve(_ selector: IdentitySelector, for direction: GrantDirection) throws(WorkflowError) -> GrantedName {
        let name = try resolveName(selector, for: direction)
        if direction == .allow, config.systemCNs.contains(name.commonName) {
            throw WorkflowError(
                .systemCommonName, .refused, subject: name.commonName.value,
                message: "\(name.commonName) is a system CN (a GlusterFS node or gshare's own identity): it is in every volume's auth.ssl-allow already, and no tenant may ever hold it; nothing was changed",
                fix: "give the tenant a certificate with a CN of its own; if a tenant certificate carries this name, revoke it at the tenant CA")
        }
        return name
    }

    func resolveName(_ selector: IdentitySelector, for direction: GrantDirection) throws(WorkflowError) -> GrantedName {
        try reportedSync {
            switch selector {
            case .tenant(let name):
                return try registeredName(name, for: direction)
            case .commonName(let cn):
                let name: CommonName
                do {
                    name = try CommonName(validating: cn)
                } catch {
                    throw WorkflowError(.invalidCommonName, .refused, subject: cn, message: "--cn '\(cn)': \(error)")
                }
                if direction == .allow, config.tenantCRLDirectory != nil, let record = try TenantRegistry(stateDirectory: config.stateDirectory).tenant(commonName: cn) {
                    try checkStanding(of: record, as: "tenant '\(record.name)' (CN \(cn))")
                }
                return GrantedName(name)
            case .tenantCommonName(let cn):
                let name: CommonName
                do {
                    name = try CommonName(validating: cn)
                } catch {
                    throw WorkflowError(.invalidCommonName, .refused, subject: cn, message: "'\(cn)' is not a CN gshare accepts: \(error)")
                }
                // A system CN is refused as such (by resolve), before the registry is asked.
                guard direction == .allow, !config.systemCNs.contains(name) else { return GrantedName(name) }
                let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
                guard let record = try registry.tenant(commonName: cn) else {
                    throw WorkflowError(
                        .unknownTenant, .refused, subject: cn,
                        message: "no onboarded tenant has the CN '\(cn)'; only the CN of an onboarded tenant may be allowed; nothing was changed",
                        fix: "the operator onboards the tenant's certificate first (gshare tenant onboard CERT.pem)")
                }
                return try registeredName(record.name, for: direction)
            case .certificate(let path, let untrusted, let crls):
                return try direction == .allow
                    ? validatedName(path, untrusted: untrusted, crls: crls) : nameOnCertificate(path)
            }
        }
    }

    /// The CN the registry records for tenant `name`. Unknown: refused with the known names;
    /// for allow, an expired certificate is refused too.
    func registeredName(_ name: String, for direction: GrantDirection) throws -> GrantedName {
        let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
        guard let record = try registry.tenant(named: name) else {
            throw Self.unknownTenant(name, known: try registry.tenants().map(\.name), registry: registry.path)
        }
        if direction == .allow && record.certificate.isExpired(at: now) {
            throw WorkflowError(
                .tenantCertificateExpired, .refused, subject: name,
                message: "tenant '\(name)' (CN \(record.commonName)): its certificate expired at \(RFC3339.format(record.certificate.notAfter)); nothing was changed",
                fix: "onboard the renewed certificate (gshare tenant onboard NEW.pem), then allow again")
        }
        if direction == .allow, config.tenantCRLDirectory != nil {
            try checkStanding(of: record, as: "tenant '\(name)' (CN \(record.commonName))")
        }
        do {
            return GrantedName(try CommonName(validating: record.commonName))
        } catch {
            throw WorkflowError(.invalidCommonName, .refused, subject: name, message: "tenant '\(name)': the recorded CN is not a valid CN: \(error)")
        }
    }

    /// With `tenant_crl_dir` set, the certificate the registry holds for a tenant must pass
    /// again, CRLs included: a revoked tenant (or a chain without current CRLs) is refused.
    func checkStanding(of record: TenantRecord, as subject: String) throws {
        do {
            _ = try TenantTrust(config: config, now: now, subject: subject).verify(chainPEM: record.certificate.pem, as: subject)
        } catch let error as WorkflowError where error.code == .invalidCertificate {
            throw WorkflowError(
                .invalidCertificate, .refused, subject: record.name,
                message: error.message.replacingOccurrences(of: "is not a valid tenant certificate", with: "no longer passes, checked against tenant_crl_dir"),
                fix: "if the tenant was revoked, this is as it should be; if a CRL is missing or stale, publish a fresh one (gshare pki crl) into tenant_crl_dir; a renewed certificate is onboarded with gshare tenant onboard")
        }
    }

    /// For deny: the certificate's GlusterFS-visible name, not judging the certificate.
    func nameOnCertificate(_ path: String) throws -> GrantedName {
        guard let certificate = try Certificate.load(fromFile: path).first else {
            throw WorkflowError(.noCertificate, .failed, subject: path, message: "\(path) holds no certificate")
        }
        do {
            return GrantedName(try CommonName(validating: String(decoding: certificate.glusterFSName.bytes, as: UTF8.self)))
        } catch {
            throw WorkflowError(.invalidCommonName, .refused, subject: path, message: "\(path): the name GlusterFS sees is not a valid CN: \(error)")
        }
    }

    /// For allow: the certificate must pass both layers against tenant_ca.
    func validatedName(_ path: String, untrusted: [String], crls: [String]) throws -> GrantedName {
        let trust = try TenantTrust(config: config, now: now, subject: "--cert")
        let tenantCA = trust.tenantCA
        let verifier = try trust.verifier(untrusted: untrusted, crlFiles: crls)
        guard let result = verifier.verify(files: [path]).first else {
            throw WorkflowError(.internalError, .failed, subject: path, message: "the verifier gave no verdict for \(path)")
        }
        let report = try result.get()
        guard let identity = report.identity else {
            throw InvalidCertificate(path: path, tenantCA: tenantCA, summary: VerificationSummary(file: path, report: report)).error
        }
        return GrantedName(identity, origin: "certificate \(path)")
    }

    static func unknownTenant(_ name: String, known: [String], registry: String) -> WorkflowError {
        WorkflowError(
            .unknownTenant, .refused, subject: name,
            message: "no tenant named '\(name)' in the registry (\(registry)); "
                + (known.isEmpty ? "it has no tenants yet" : "known tenants: \(known.joined(separator: ", "))"),
            fix: known.isEmpty ? "gshare tenant onboard CERT.pem" : "gshare tenant list shows them")
    }
}

/// A certificate refused by validation, with every reason (each with its fix).
struct InvalidCertificate {
    let path: String
    let tenantCA: String
    let summary: VerificationSummary

    var error: WorkflowError {
        let reasons = (summary.findings ?? []).filter { $0.severity == "error" }.map { "\n  ✗ [\($0.code)] \($0.message) (fix: \($0.fix))" }
        return WorkflowError(
            .invalidCertificate, .refused, subject: path,
            message: "\(path) is not a valid tenant certificate for \(tenantCA); nothing was changed:" + reasons.joined(),
            fix: "gshare cert verify \(path) --ca \(tenantCA) shows every reason")
    }
}

extension Sequence where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

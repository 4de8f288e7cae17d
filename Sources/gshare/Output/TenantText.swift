//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import TenantPKI
import TenantRegistry

/// Text and JSON forms of tenants, onboarding results and audit entries.
enum TenantText {
    static func list(_ tenants: [TenantRecord], now: Date) -> String {
        tenants.isEmpty ? "no tenants yet: gshare tenant onboard CERT.pem" : tenants.map { row($0, now: now) }.joined(separator: "\n")
    }

    static func removed(_ removal: TenantRemoval) -> String {
        (removal.revokedFrom.map { "denied \(removal.commonName) on \($0)" } + ["removed tenant \(removal.tenant) (CN \(removal.commonName))"])
            .joined(separator: "\n")
    }

    static func auditLog(_ entries: [AuditEntry], since: String?) -> String {
        entries.isEmpty ? "no audit entries" + (since.map { " since \($0)" } ?? "") : entries.map(audit).joined(separator: "\n")
    }

    static func onboarding(_ onboarding: Onboarding) -> String {
        var lines = onboarding.results.map(line)
        if onboarding.results.count > 1 { lines.append("summary: " + onboarding.summary) }
        return lines.joined(separator: "\n")
    }

    static func line(_ result: OnboardingResult) -> String {
        let file = result.file
        let tenant = result.tenant ?? ""
        let cn = result.commonName ?? ""
        let until = result.notAfter.map(RFC3339.format) ?? ""
        switch result.kind {
        case .onboarded:
            return "\(file): onboarded tenant \(tenant) (CN \(cn), until \(until))"
        case .renewed:
            return "\(file): renewed tenant \(tenant) (CN \(cn), until \(until)); previous certificate \(result.previousFingerprint ?? "?") kept in its history)"
        case .unchanged:
            return "\(file): tenant \(tenant) already has this certificate: nothing to do"
        case .refused:
            if let verification = result.verification { return "REFUSED (nothing recorded): " + CertificateText.render(verification) }
            return "\(file): REFUSED [\(result.error?.code.rawValue ?? "refused")] — \(result.error?.description ?? "")"
        case .failed:
            return "\(file): FAILED [\(result.error?.code.rawValue ?? "failed")] — \(result.error?.description ?? "")"
        }
    }

    static func row(_ tenant: TenantRecord, now: Date) -> String {
        let expiry = tenant.certificate.isExpired(at: now) ? "EXPIRED \(RFC3339.format(tenant.certificate.notAfter))" : "until \(RFC3339.format(tenant.certificate.notAfter))"
        return "\(tenant.name)  CN \(tenant.commonName)  \(expiry)  SHA-256 \(tenant.certificate.fingerprint)"
    }

    static func details(_ tenant: TenantRecord, history: [CertificateRecord], now: Date) -> String {
        var lines = [
            "Tenant \(tenant.name)",
            "  CN (auth.ssl-allow): \(tenant.commonName)",
            "  onboarded:           \(RFC3339.format(tenant.createdAt))",
            "  subject:             \(tenant.certificate.subject)",
            "  issuer:              \(tenant.certificate.issuer)",
            "  serial:              \(tenant.certificate.serial)",
            "  valid:               \(RFC3339.format(tenant.certificate.notBefore)) → \(RFC3339.format(tenant.certificate.notAfter))"
                + (tenant.certificate.isExpired(at: now) ? " (EXPIRED: onboard the renewed certificate)" : ""),
            "  SHA-256:             \(tenant.certificate.fingerprint)",
            "  certificates onboarded (\(history.count)):",
        ]
        lines += history.map { "    \(RFC3339.format($0.onboardedAt))  serial \($0.serial)  until \(RFC3339.format($0.notAfter))  \($0.fingerprint)" }
        return lines.joined(separator: "\n")
    }

    static func audit(_ entry: AuditEntry) -> String {
        var text = "\(RFC3339.format(entry.time))  \(entry.result.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(entry.user)@\(entry.host)  \(entry.command.joined(separator: " "))"
        if let message = entry.message, !message.isEmpty { text += "\n    → \(message.split(separator: "\n").first ?? "")" }
        return text
    }
}

/// A certificate in `--json` output, times in RFC 3339.
struct CertificateDocument: Codable {
    let commonName: String
    let fingerprint: String
    let subject: String
    let issuer: String
    let serial: String
    let notBefore: String
    let notAfter: String
    let onboardedAt: String
    let expired: Bool

    init(_ record: CertificateRecord, now: Date) {
        commonName = record.commonName
        fingerprint = record.fingerprint
        subject = record.subject
        issuer = record.issuer
        serial = record.serial
        notBefore = RFC3339.format(record.notBefore)
        notAfter = RFC3339.format(record.notAfter)
        onboardedAt = RFC3339.format(record.onboardedAt)
        expired = record.isExpired(at: now)
    }
}

/// A tenant in `--json` output.
struct TenantDocument: Codable {
    let name: String
    let commonName: String
    let createdAt: String
    let certificate: CertificateDocument
    let history: [CertificateDocument]?

    init(_ record: TenantRecord, history: [CertificateRecord]? = nil, now: Date) {
        name = record.name
        commonName = record.commonName
        createdAt = RFC3339.format(record.createdAt)
        certificate = CertificateDocument(record.certificate, now: now)
        self.history = history?.map { CertificateDocument($0, now: now) }
    }
}

/// An audit entry in `--json` output.
struct AuditDocument: Codable {
    let time: String
    let user: String
    let host: String
    let command: [String]
    let target: String
    let result: String
    let message: String?

    init(_ entry: AuditEntry) {
        time = RFC3339.format(entry.time)
        user = entry.user
        host = entry.host
        command = entry.command
        target = entry.target
        result = entry.result.rawValue
        message = entry.message
    }
}

/// One file's result in `gshare tenant onboard --json`.
struct OnboardResultDocument: Codable {
    let file: String
    let outcome: String
    let tenant: String?
    let commonName: String?
    let fingerprint: String?
    let previousFingerprint: String?
    let verification: VerificationSummary?
    let message: String?

    init(_ result: OnboardingResult) {
        file = result.file
        outcome = result.kind.rawValue
        tenant = result.tenant
        commonName = result.commonName
        fingerprint = result.fingerprint
        previousFingerprint = result.previousFingerprint
        verification = result.verification
        message = result.error?.message
    }
}

/// `gshare tenant onboard --json`.
struct OnboardDocument: Codable {
    struct Counts: Codable {
        let onboarded: Int
        let renewed: Int
        let unchanged: Int
        let refused: Int
        let failed: Int
    }

    let results: [OnboardResultDocument]
    let counts: Counts

    init(_ onboarding: Onboarding) {
        results = onboarding.results.map(OnboardResultDocument.init)
        counts = Counts(
            onboarded: onboarding.count(.onboarded), renewed: onboarding.count(.renewed), unchanged: onboarding.count(.unchanged),
            refused: onboarding.count(.refused), failed: onboarding.count(.failed))
    }
}

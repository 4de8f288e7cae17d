//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import GShareWorkflows
import TenantPKI

/// Human-readable rendering of certificates and verification results.
enum CertificateText {
    /// `cert inspect`: every readable file on stdout; a file that cannot be read is an error on stderr.
    static func render(_ inspected: [InspectedFile]) -> String {
        inspected.compactMap { file -> String? in
            if let error = file.error {
                Console.printError(error)
                return nil
            }
            return render(file: file.file, certificates: file.certificates.map(CertificateSummary.init))
        }.joined(separator: "\n")
    }

    /// `cert verify`: each verdict on stdout (a file that cannot be judged: an error on
    /// stderr), and the counts when there are several.
    static func render(_ verification: Verification) -> String {
        var blocks: [String] = []
        for file in verification.files {
            switch file.result {
            case .success: blocks.append(render(file.summary))
            case .failure(let error): Console.printError(WorkflowError(error))
            }
        }
        if verification.files.count > 1 {
            blocks.append("\(verification.valid) valid, \(verification.invalid) invalid, \(verification.couldNotVerify) could not be verified")
        }
        return blocks.joined(separator: "\n")
    }

    static func render(file: String, certificates: [CertificateSummary]) -> String {
        certificates.enumerated().map { index, summary in
            let heading = certificates.count > 1 ? "\(file) — certificate \(index + 1) of \(certificates.count)" : file
            return ([heading] + lines(for: summary)).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func lines(for summary: CertificateSummary) -> [String] {
        var rows: [(String, String)] = [
            ("Subject", summary.subject),
            ("Issuer", summary.issuer),
            ("Serial", summary.serial),
            ("Valid", "\(summary.notBefore) → \(summary.notAfter)"),
            ("Public key", summary.publicKey),
            ("Signature", summary.signatureAlgorithm),
            ("SANs", summary.subjectAlternativeNames.isEmpty ? "(none)" : summary.subjectAlternativeNames.joined(separator: ", ")),
            ("Basic constraints", summary.basicConstraints ?? "(absent)"),
            ("Key usage", summary.keyUsage ?? "(absent)"),
            ("Extended key usage", summary.extendedKeyUsage ?? "(absent)"),
            ("SHA-256", summary.sha256Fingerprint),
        ]
        if summary.commonNames.count > 1 || summary.commonNames.contains(where: { $0.stringType != "UTF8String" && $0.stringType != "PrintableString" }) {
            for (index, name) in summary.commonNames.enumerated() {
                rows.append(("CN #\(index + 1)", "\"\(name.text)\" (\(name.stringType), hex \(name.hex))"))
            }
        }
        rows.append(("GlusterFS name", "\"\(summary.glusterFSName.text)\"" + (summary.glusterFSName.text.isEmpty ? " (EMPTY)" : "")))
        var lines = rows.map { "  " + padded($0.0 + ":", to: 20) + $0.1 }
        lines += summary.glusterFSName.warnings.map { "  !! WARNING: \($0)" }
        return lines
    }

    private static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func render(_ summary: VerificationSummary) -> String {
        guard let glusterfs = summary.glusterfs, let policy = summary.policy, let findings = summary.findings else {
            return "\(summary.file): COULD NOT VERIFY — \(summary.error?.message ?? "unknown error")"
        }
        let name = "\"\(glusterfs.name)\"" + (glusterfs.name.isEmpty ? " (an EMPTY name)" : "")
        var lines: [String] = []
        if summary.valid == true {
            lines.append("\(summary.file): VALID — tenant CN \"\(summary.tenantCommonName ?? "")\"")
        } else {
            lines.append("\(summary.file): INVALID")
        }
        lines.append("  GlusterFS:     " + (glusterfs.accepted ? "would accept it, and authorise the name \(name)" : "would REJECT it (name \(name))"))
        lines.append("  tenant policy: " + (policy.accepted ? "pass" : "FAIL"))
        lines += glusterfs.nameWarnings.map { "  !! WARNING: \($0)" }
        for finding in findings {
            let marker = finding.severity == "error" ? "✗" : "!"
            let scope = finding.severity == "error" ? (finding.layers.contains("glusterfs") ? "GlusterFS + policy" : "policy") : "warning"
            lines.append("  \(marker) [\(finding.code)] (\(scope)) \(finding.message)")
            lines.append("      fix: \(finding.fix)")
        }
        return lines.joined(separator: "\n")
    }
}

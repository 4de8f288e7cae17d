//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization
import TenantPKI

/// Human-readable rendering of what the `gshare pki` commands did.
enum PKIText {
    static func render(_ document: InitCADocument) -> String {
        var lines = ["Created \(document.role == "root" ? "a root" : "an intermediate") CA in \(document.directory)"]
        var fields: [(String, String)] = [
            ("Subject", document.certificate.subject),
            ("Serial", document.certificate.serial),
            ("Valid", "\(document.certificate.notBefore) → \(document.certificate.notAfter)"),
            ("Public key", document.certificate.publicKey),
            ("Basic constraints", document.certificate.basicConstraints ?? "(absent)"),
            ("SHA-256", document.certificate.sha256Fingerprint),
        ]
        if let parent = document.parent {
            fields.append(("Signed by", "\(parent) (recorded in its issued.tsv)"))
        }
        lines += rows(fields)
        lines.append("Files:")
        lines += files(document.files)
        lines.append("Next:")
        if document.role == "root" {
            lines.append("  gshare pki init-ca --dir DIR --parent \(document.directory)    (an intermediate to issue from)")
        }
        lines.append("  gshare pki issue --ca \(document.directory) --cn NAME --profile client|server|node")
        return lines.joined(separator: "\n")
    }

    static func render(_ document: IssueDocument) -> String {
        let certificate = document.certificate
        var lines = ["Issued \"\(document.commonName)\" (\(document.profile)) from the CA in \(document.ca)"]
        lines += rows([
            ("Subject", certificate.subject),
            ("Issuer", certificate.issuer),
            ("Serial", certificate.serial),
            ("Valid", "\(certificate.notBefore) → \(certificate.notAfter)"),
            ("Public key", certificate.publicKey),
            ("SANs", certificate.subjectAlternativeNames.isEmpty ? "(none)" : certificate.subjectAlternativeNames.joined(separator: ", ")),
            ("Extended key usage", certificate.extendedKeyUsage ?? "(absent)"),
            ("GlusterFS name", "\"\(certificate.glusterFSName.text)\""),
            ("Chain", (["the leaf"] + document.intermediates).joined(separator: ", then ")),
            ("Trusts (peers)", document.trustAnchors.joined(separator: "; ")),
        ])
        lines.append("Files (install glusterfs/* where GlusterFS reads them: /usr/lib/ssl/ on Debian, or point ssl.own-cert/ssl.private-key/ssl.ca-list at them):")
        lines += files(document.files)
        lines.append("Recorded in \(document.record)")
        return lines.joined(separator: "\n")
    }

    static func render(_ document: RevokeDocument) -> String {
        let what = "serial \(document.serial) (CN \"\(document.commonName)\", \(document.profile))"
        if document.alreadyRevoked {
            return """
                \(what) was already revoked in the CA's record (\(document.ca)) at \(document.revokedAt), \
                reason \(document.reason): nothing changed.
                If the CRLs do not list it yet, publish them:
                  \(document.publishWith)
                """
        }
        return """
            Revoked \(what) in the CA's record (\(document.ca)) at \(document.revokedAt), reason \(document.reason).
            GlusterFS does not know yet: publish the CRLs, then copy them to every node's ssl.crl-path:
              \(document.publishWith)
            """
    }

    static func render(_ document: CRLDocument) -> String {
        var lines = ["Published CRLs for \(document.authorities.count) CA(s), valid until \(document.nextUpdate):"]
        let width = document.authorities.map(\.directory.count).max() ?? 0
        for authority in document.authorities {
            lines.append("  \(padded(authority.directory, to: width + 2))\(authority.subject): \(authority.revoked) revoked")
        }
        lines.append("Files:")
        lines += files(document.files)
        lines.append("ssl.crl-path: \(document.hashedDirectory)")
        lines.append("  copy this folder to every node, then: gluster volume set VOLUME ssl.crl-path \(document.hashedDirectory)")
        lines.append("Publish again before \(document.nextUpdate): once a CRL expires, GlusterFS rejects EVERY client.")
        return lines.joined(separator: "\n")
    }

    static func render(_ document: LabDocument) -> String {
        var lines = ["Lab PKI in \(document.directory) (profile \(document.profile))"]
        let prefix = document.directory + "/"
        let authorities = document.createdAuthorities.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        lines += rows([
            ("CAs created", authorities.isEmpty ? "none (all already present)" : list(authorities)),
            ("Hosts issued", document.issued.isEmpty ? "none" : list(document.issued)),
            ("Already present", document.alreadyPresent.isEmpty ? "none" : list(document.alreadyPresent)),
            ("CRLs valid until", document.crl.nextUpdate),
            ("ssl.crl-path", document.crl.hashedDirectory),
        ])
        lines.append("Each host's GlusterFS files are in \(prefix)hosts/<name>/glusterfs/ (glusterfs.pem, .key, .ca: install them where GlusterFS reads them, /usr/lib/ssl/ on Debian).")
        return lines.joined(separator: "\n")
    }

    // MARK: - Pieces

    /// `N: a, b, c, … and K more`.
    static func list(_ names: [String], limit: Int = 8) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return "\(names.count): " + (names.count > limit ? "\(shown), … and \(names.count - limit) more" : shown)
    }

    static func rows(_ rows: [(String, String)]) -> [String] {
        rows.map { "  " + padded($0.0 + ":", to: 20) + $0.1 }
    }

    /// One line per file: its path, what it is, and its mode when it is private.
    static func files(_ paths: [String]) -> [String] {
        let width = paths.map(\.count).max() ?? 0
        return paths.map { "  " + padded($0, to: width + 2) + describe($0) }
    }

    static func describe(_ path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let what: String
        switch name {
        case "ca.pem": what = "the CA certificate"
        case "ca.key": what = "the CA's private key"
        case "chain.pem": what = "this CA, then its issuers up to the root"
        case "issued.tsv": what = "the record of what this CA issues and revokes"
        case "ca.json": what = "state: the parent folder, the next CRL number"
        case "glusterfs.pem": what = "the certificate, then its intermediates"
        case "glusterfs.key": what = "its private key"
        case "glusterfs.ca": what = "the roots it trusts to verify its peers"
        case _ where name.hasSuffix(".crl.pem"): what = "a CRL"
        case _ where name.range(of: #"^[0-9a-f]{8}\.r[0-9]+$"#, options: .regularExpression) != nil: what = "the same CRL, hashed name"
        case _ where name.hasSuffix(".key"): what = "its private key"
        case _ where name.hasSuffix(".pem"): what = "the certificate, then its intermediates"
        default: what = ""
        }
        guard name.hasSuffix(".key"), let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else {
            return what
        }
        return what + ", mode " + String(format: "%04o", mode)
    }

    static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

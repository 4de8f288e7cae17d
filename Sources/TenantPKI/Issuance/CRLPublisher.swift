//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

public import Foundation

/// Issues fresh CRLs for a set of CAs and lays them out for GlusterFS's `ssl.crl-path`.
///
/// ```
/// OUT/<ca-folder-name>.crl.pem   one PEM CRL per CA
/// OUT/hashed/<hash>.r0           the same CRLs named as `openssl rehash` names them
/// ```
///
/// GlusterFS checks CRLs with CRL_CHECK|CRL_CHECK_ALL: a CA in any client's chain without
/// a current CRL makes it reject EVERY client, so every CA gets one. The hashed folder
/// never receives a CA certificate: one there would become a trust anchor.
public enum CRLPublisher {
    public struct Outcome: Sendable {
        public let written: [String]
        /// The `ssl.crl-path` folder.
        public let hashedDirectory: String
        public let warnings: [String]
        public let nextUpdate: Date
    }

    /// CRLs valid for fewer days than this draw a warning.
    public static let shortValidityDays = 7

    public static func publish(
        for authorities: [CertificateAuthority], days: Int = 30, now: Date = Date(), to directory: String
    ) throws -> Outcome {
        guard (1...3650).contains(days) else {
            throw PKIError(.issuanceRefused, path: "--days \(days)", reason: "a CRL must be valid 1 to 3650 days", hint: "choose a sensible --days")
        }
        let directory = CertificateAuthority.normalized(directory)
        let hashed = "\(directory)/hashed"
        try SecureFiles.makeDirectory(hashed, mode: 0o755)
        var written: [String] = []
        var usedNames: Set<String> = []
        var seen: Set<String> = []
        for authority in authorities where seen.insert(authority.directory).inserted {
            let crl = try authority.issueCRL(days: days, now: now)
            let pem = crl.pemString
            let plain = "\(directory)/\(URL(fileURLWithPath: authority.directory).lastPathComponent).crl.pem"
            try SecureFiles.write(pem, to: plain, mode: 0o644, existing: .replace)
            written.append(plain)
            var suffix = 0
            while usedNames.contains("\(crl.issuerNameHash).r\(suffix)") { suffix += 1 }
            let name = "\(crl.issuerNameHash).r\(suffix)"
            usedNames.insert(name)
            try SecureFiles.write(pem, to: "\(hashed)/\(name)", mode: 0o644, existing: .replace)
            written.append("\(hashed)/\(name)")
        }
        var warnings: [String] = []
        if days < shortValidityDays {
            warnings.append(
                "the CRLs expire in \(days) day(s) (\(iso8601(now.addingTimeInterval(Double(days) * 86400)))): once past nextUpdate, GlusterFS rejects EVERY client. Re-run gshare pki crl before then")
        }
        let strays = (try? FileManager.default.contentsOfDirectory(atPath: hashed)) ?? []
        for file in strays.sorted() where file.range(of: #"^[0-9a-f]{8}\.[0-9]+$"#, options: .regularExpression) != nil {
            warnings.append("\(hashed)/\(file) looks like a CA certificate: in ssl.crl-path it becomes a TRUST ANCHOR. Remove it")
        }
        for file in strays.sorted() where file.range(of: #"\.r[0-9]+$"#, options: .regularExpression) != nil {
            if !usedNames.contains(file) {
                warnings.append("\(hashed)/\(file) is a CRL gshare did not write in this run: check it belongs to a CA still in use")
            }
        }
        return Outcome(
            written: written, hashedDirectory: hashed, warnings: warnings, nextUpdate: now.addingTimeInterval(Double(days) * 86400))
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import TenantPKI

extension Doctor {
    /// CRLs whose nextUpdate is this close draw a warning.
    public static let crlWarningDays = 7

    /// The CAs of the tenant hierarchy: ``DoctorInput/tenantCACertificates`` plus the
    /// intermediates tenants present with their leaves, one per subject, in that order.
    static func tenantCAs(_ input: DoctorInput) -> [Certificate] {
        var seen = Set<String>()
        var result: [Certificate] = []
        let presented = input.tenants.flatMap { tenant in
            ((try? Certificate.parse(fileBytes: Array(tenant.certificatePEM.utf8), path: tenant.name)) ?? []).dropFirst()
        }
        for certificate in input.tenantCACertificates + presented where seen.insert(certificate.subject).inserted {
            result.append(certificate)
        }
        return result
    }

    /// Check 6: the CRL folder (`tenant_crl_dir`, what goes to the servers' ssl.crl-path).
    ///
    /// - `crl-dir-unreadable` (warning): the folder cannot be listed;
    /// - `crl-dir-holds-certificate` (warning): a certificate there becomes a trust anchor;
    /// - `crl-dir-unknown-file` (info): neither CRL nor certificate;
    /// - `crl-not-hashed` (warning): a CRL not named `<issuer hash>.rN`: OpenSSL never finds it;
    /// - `crl-missing` (warning): a tenant CA without a CRL there: with CRL checking on,
    ///   GlusterFS refuses every client whose chain holds that CA;
    /// - `crl-expired` (critical) / `crl-expiring` (warning, within ``crlWarningDays``):
    ///   past nextUpdate, GlusterFS refuses every client of that CA.
    public static func crlDirectoryFindings(_ input: DoctorInput) -> [DoctorFinding] {
        guard let directory = input.crlDirectory else { return [] }
        let path = directory.path
        if let error = directory.readError {
            return [
                DoctorFinding(
                    .crlDirectoryUnreadable, .warning, "the tenant CRL folder \(path) cannot be read (\(error)): revocations are not checked",
                    fix: "create it (gshare pki crl --ca TENANT_CA writes hashed/), or fix tenant_crl_dir in gshare.toml")
            ]
        }
        var findings: [DoctorFinding] = []
        for entry in directory.entries {
            let file = (path as NSString).appendingPathComponent(entry.fileName)
            switch entry.content {
            case .certificates(let certificates):
                findings.append(
                    DoctorFinding(
                        .crlDirectoryHoldsCertificate, .warning,
                        "\(file) is a certificate (\(certificates[0].subject)), not a CRL: in ssl.crl-path OpenSSL takes it "
                            + "as a TRUST ANCHOR, so whatever it signs is trusted",
                        fix: "rm \(file)   (CA certificates belong in glusterfs.ca, not in the CRL folder)"))
            case .unreadable(let reason):
                findings.append(
                    DoctorFinding(
                        .crlDirectoryUnknownFile, .info, "\(file) is neither a CRL nor a certificate (\(reason))",
                        fix: "remove it from the CRL folder"))
            case .revocationLists(let crls):
                for crl in crls where !isHashedName(entry.fileName, for: crl) {
                    findings.append(
                        DoctorFinding(
                            .crlNotHashed, .warning,
                            "\(file) holds the CRL of \(crl.issuer) but is not named \(crl.issuerNameHash).rN: "
                                + "GlusterFS (OpenSSL's CApath lookup) never finds it, so that CA counts as having no CRL",
                            fix: "openssl rehash \(path)   (or copy the files of gshare pki crl's hashed/ folder)"))
                }
            }
        }
        // The newest CRL of each issuer is the one OpenSSL uses.
        var newest: [String: (fileName: String, crl: RevocationList)] = [:]
        for item in directory.revocationLists {
            if let current = newest[item.crl.issuer], current.crl.lastUpdate >= item.crl.lastUpdate { continue }
            newest[item.crl.issuer] = item
        }
        for ca in tenantCAs(input) where newest[ca.subject] == nil {
            findings.append(
                DoctorFinding(
                    .crlMissing, .warning,
                    "the tenant CA \(ca.subject) has no CRL in \(path): with CRL checking on, GlusterFS refuses EVERY client "
                        + "whose chain includes it (and its revocations are not seen)",
                    fix: "gshare pki crl --ca CA_DIR (the folder of \(ca.subject)), then copy its hashed/ files into \(path)"))
        }
        let horizon = input.now.addingTimeInterval(Double(crlWarningDays) * 86400)
        for (issuer, item) in newest.sorted(by: { $0.key < $1.key }) {
            guard let next = item.crl.nextUpdate else { continue }
            let file = (path as NSString).appendingPathComponent(item.fileName)
            let fix = "gshare pki crl --ca CA_DIR (the folder of \(issuer)), then copy its hashed/ files into \(path)"
            if next <= input.now {
                findings.append(
                    DoctorFinding(
                        .crlExpired, .critical,
                        "the CRL of \(issuer) (\(file)) was due for renewal on \(iso8601(next)): GlusterFS refuses EVERY client "
                            + "of that CA until a current CRL is in ssl.crl-path",
                        fix: fix))
            } else if next <= horizon {
                findings.append(
                    DoctorFinding(
                        .crlExpiring, .warning,
                        "the CRL of \(issuer) (\(file)) is due for renewal on \(iso8601(next)): after that GlusterFS refuses "
                            + "every client of that CA",
                        fix: fix))
            }
        }
        return findings
    }

    /// `<issuer hash>.r<digits>`, the name OpenSSL's CApath lookup opens.
    static func isHashedName(_ fileName: String, for crl: RevocationList) -> Bool {
        let prefix = crl.issuerNameHash + ".r"
        guard fileName.hasPrefix(prefix) else { return false }
        let suffix = fileName.dropFirst(prefix.count)
        return !suffix.isEmpty && suffix.allSatisfy(\.isASCII) && suffix.allSatisfy(\.isNumber)
    }

    /// Check 7: gshare's own certificate (`manager_cert`).
    ///
    /// - `manager-cert-expired` (critical): gshare cannot connect to wipe a volume, so
    ///   deletes stop half-way;
    /// - `manager-cert-expiring` (warning): within ``DoctorInput/expiryWarningDays``;
    /// - `manager-cert-unreadable` (warning): the PEM holds no certificate;
    /// - `manager-cn-not-system` (warning): its CN is not in `system_cns`, so the lists
    ///   gshare writes do not keep it.
    public static func managerCertificateFindings(_ input: DoctorInput) -> [DoctorFinding] {
        guard let pem = input.managerCertificatePEM else { return [] }
        let leaf: Certificate
        do {
            leaf = try Certificate.parse(fileBytes: Array(pem.utf8), path: "manager_cert")[0]
        } catch {
            return [
                DoctorFinding(
                    .managerCertificateUnreadable, .warning, "gshare's own certificate (manager_cert) cannot be read: \(error)",
                    fix: "point manager_cert in gshare.toml at gshare's PEM certificate")
            ]
        }
        var findings: [DoctorFinding] = []
        let cn = String(decoding: leaf.glusterFSName.bytes, as: UTF8.self)
        let reissue = "gshare pki issue --ca NODE_CA --cn \(commandWord(cn)) --profile node --force, then restart nothing: gshare reads it on each run"
        if leaf.notAfter <= input.now {
            findings.append(
                DoctorFinding(
                    .managerCertificateExpired, .critical,
                    "gshare's own certificate (CN \(cn)) expired on \(iso8601(leaf.notAfter)): gshare cannot connect to volumes "
                        + "to wipe them, so share deletes stop before the volume returns to the pool",
                    fix: reissue))
        } else if leaf.notAfter <= input.warningHorizon {
            findings.append(
                DoctorFinding(
                    .managerCertificateExpiring, .warning,
                    "gshare's own certificate (CN \(cn)) expires on \(iso8601(leaf.notAfter)): after that share deletes cannot wipe volumes",
                    fix: reissue))
        }
        if !input.systemCNs.contains(where: { $0.value == cn }) {
            findings.append(
                DoctorFinding(
                    .managerCNNotSystem, .warning,
                    "gshare's own CN \"\(cn)\" is not in system_cns: the lists gshare writes do not keep it, so it may be "
                        + "refused on the volumes it must wipe",
                    fix: "add \"\(cn)\" to system_cns in gshare.toml, then gshare doctor --fix"))
        }
        return findings
    }

    /// The number of intermediate CAs between a leaf issued by `issuer` and its root,
    /// following subjects through `cas`; nil when `issuer` is not among them.
    static func intermediates(below issuer: String, cas: [String: Certificate]) -> Int? {
        guard var current = cas[issuer] else { return nil }
        var count = 0
        for _ in 0..<16 {
            if current.subject == current.issuer { return count }  // the root
            count += 1
            guard let parent = cas[current.issuer] else { return count }  // the chain ends above: count what is known
            current = parent
        }
        return count
    }

    /// Check 8: `ssl.certificate-depth` (default 1: intermediates allowed between leaf and
    /// root) smaller than the tenant chains need (critical: those tenants cannot connect);
    /// `certificate-depth-invalid` (warning) when it is not a number.
    ///
    /// The need is the largest intermediate count over every tenant's chain and every CA
    /// of the tenant hierarchy that issues leaves (signs no other CA given).
    public static func certificateDepthFindings(_ input: DoctorInput) -> [DoctorFinding] {
        let cas = tenantCAs(input)
        let bySubject = Dictionary(cas.map { ($0.subject, $0) }, uniquingKeysWith: { first, _ in first })
        var need = 0
        var needers: [String] = []
        func consider(_ count: Int?, _ who: String) {
            guard let count else { return }
            if count > need {
                need = count
                needers = [who]
            } else if count == need, count > 0 {
                needers.append(who)
            }
        }
        let issuersOfCAs = Set(cas.filter { $0.subject != $0.issuer }.map(\.issuer))
        for ca in cas where !issuersOfCAs.contains(ca.subject) {
            consider(intermediates(below: ca.subject, cas: bySubject), "certificates issued by \(ca.subject)")
        }
        for tenant in input.tenants {
            consider(intermediates(below: tenant.issuer, cas: bySubject), "tenant \(tenant.name)")
        }
        var findings: [DoctorFinding] = []
        for volume in input.inventory.volumes {
            let name = label(volume)
            let depth: Int
            if let value = volume.info.option("ssl.certificate-depth") {
                guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                    findings.append(
                        DoctorFinding(
                            .certificateDepthInvalid, .warning, volume: name, share: volume.marks.shareID,
                            "\(name): ssl.certificate-depth is \"\(value)\", not a number: which chains the bricks accept is unknown",
                            fix: "gluster volume set \(volume.name) ssl.certificate-depth \(max(need, 1))"))
                    continue
                }
                depth = number
            } else {
                depth = 1
            }
            guard depth < need else { continue }
            let shown = needers.prefix(3).joined(separator: ", ") + (needers.count > 3 ? " and \(needers.count - 3) more" : "")
            findings.append(
                DoctorFinding(
                    .certificateDepthTooSmall, .critical, volume: name, share: volume.marks.shareID,
                    "\(name): ssl.certificate-depth is \(depth)\(volume.info.option("ssl.certificate-depth") == nil ? " (the default)" : "") "
                        + "but tenant chains need \(need) intermediate CA\(need == 1 ? "" : "s") (\(shown)): GlusterFS refuses those tenants",
                    fix: "gluster volume set \(volume.name) ssl.certificate-depth \(need)"))
        }
        return findings
    }
}

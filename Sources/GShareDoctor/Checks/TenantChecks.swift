//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import TenantPKI

extension Doctor {
    /// Check 3: registry ↔ volumes drift.
    ///
    /// - `unknown-cn` (warning): a share lists a CN that no tenant owns and that is not a
    ///   system CN (wildcards are `allow-list-glob`'s). Not fixed automatically: someone
    ///   may have added it on purpose.
    /// - `cn-on-free-volume` (warning): a volume holding no share lists a name other than
    ///   the system CNs: whoever has it will get into the next share made there.
    ///
    /// - `granted-access-missing` (warning): gshare granted a CN on a share (the volume's
    ///   `user.gshare.granted` record) but auth.ssl-allow no longer lists it — someone removed
    ///   it by hand: the tenant is recorded with access it does not have. Not fixed
    ///   automatically (re-adding widens access): the fix is the allow command, or a deny to
    ///   make the record agree.
    ///
    /// - `tenant-is-system-cn` (critical): a registry tenant whose CN is a system CN. The
    ///   system CNs are in every volume's list and the nodes trust the tenant root, so
    ///   whoever holds that tenant's certificate gets into every volume, free ones included.
    ///
    /// `unknown-cn` is skipped when ``DoctorInput/tenantsAreComplete`` is false.
    public static func registryDriftFindings(_ input: DoctorInput) -> [DoctorFinding] {
        let system = Set(input.systemCNs.map(\.value))
        let owned = Set(input.tenants.map(\.commonName))
        let nodeCNs = Set(input.nodes.compactMap(\.commonName))
        var findings: [DoctorFinding] = []
        for tenant in input.tenants where system.contains(tenant.commonName) {
            findings.append(
                DoctorFinding(
                    .tenantIsSystemCN, .critical, tenant: tenant.name,
                    "tenant \(tenant.name) holds the CN \"\(tenant.commonName)\", a system CN (a GlusterFS node or gshare's own identity, in every volume's auth.ssl-allow): "
                        + "whoever holds its certificate (serial \(tenant.serialHex), issued by \(tenant.issuer)) gets into every volume",
                    fix: "revoke that certificate at the tenant CA (gshare pki revoke --ca TENANT_CA --serial \(tenant.serialHex); gshare pki crl) "
                        + "and put the CRL where ssl.crl-path points; then gshare tenant remove \(tenant.name)"))
        }
        for volume in input.inventory.volumes {
            let name = label(volume)
            let irregular = Set(volume.allowList.irregularEntries)
            // A node's own CN (learned from the node) is never a tenant's to remove: a missing
            // system CN is reported as such (node-cn-not-system).
            let named = volume.allowList.uniqueEntries.filter { !system.contains($0) && !irregular.contains($0) && !nodeCNs.contains($0) }
            if let share = share(of: volume) {
                let listed = Set(volume.allowList.uniqueEntries)
                for cn in volume.marks.granted where !listed.contains(cn) && !system.contains(cn) {
                    let tenant = input.tenants.first { $0.commonName == cn }.map { "tenant \($0.name)" } ?? "\"\(cn)\""
                    findings.append(
                        DoctorFinding(
                            .grantedAccessMissing, .warning, volume: name, share: share.id,
                            "\(tenant) was granted share \(share.id) (\(name)) by gshare, but auth.ssl-allow no longer lists \(cn): "
                                + "it was removed outside gshare, so the tenant cannot get in although gshare's record says it can",
                            fix: "gshare access allow \(share.id) --cn \(commandWord(cn))   (or gshare access deny \(share.id) --cn \(commandWord(cn)) to drop the record)"))
                }
                guard input.tenantsAreComplete else { continue }
                for cn in named where !owned.contains(cn) {
                    let how = volume.marks.granted.contains(cn)
                        ? "gshare granted it, but no tenant in the registry owns it now"
                        : "it was added outside gshare"
                    findings.append(
                        DoctorFinding(
                            .unknownCN, .warning, volume: name, share: share.id,
                            "share \(share.id) (\(name)) lets in \"\(cn)\", which is neither a tenant's CN nor a system CN (\(how)): "
                                + "whoever holds a trusted certificate with that name can mount the share",
                            fix: "gshare access deny \(share.id) --cn \(commandWord(cn))   (or register the tenant it belongs to)"))
                }
            } else if volume.marks.isFree, !named.isEmpty {
                findings.append(
                    DoctorFinding(
                        .cnOnFreeVolume, .warning, volume: name,
                        "\(name) holds no share but its auth.ssl-allow still lists \(named.joined(separator: ", ")): "
                            + "they would get into the next share created on it",
                        fix: "gluster volume set \(volume.name) auth.ssl-allow \(SSLAllowList.exactly(input.systemCNs).rendered)"))
            }
        }
        return findings
    }

    /// The tenants whose certificates are valid now and not revoked, by CN: a CN one of
    /// them holds is never removed because another tenant with the same CN expired.
    static func goodStandingCNs(_ input: DoctorInput) -> Set<String> {
        Set(
            input.tenants.filter { tenant in
                tenant.notAfter > input.now && !(input.crlDirectory?.revokes(issuer: tenant.issuer, serialHex: tenant.serialHex) ?? false)
            }.map(\.commonName))
    }

    /// Check 4: tenant certificates.
    ///
    /// - `tenant-cert-expiring` (warning): ends within ``DoctorInput/expiryWarningDays``;
    /// - `tenant-cert-expired` (critical): GlusterFS refuses it; the tenant is locked out;
    /// - `expired-tenant-listed` (critical): its CN is still on a share (and no valid
    ///   tenant holds the same CN). Safe fix: remove the CN from that share.
    public static func tenantExpiryFindings(_ input: DoctorInput) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let good = goodStandingCNs(input)
        for tenant in input.tenants {
            if tenant.notAfter <= input.now {
                findings.append(
                    DoctorFinding(
                        .tenantCertificateExpired, .critical, tenant: tenant.name,
                        "tenant \(tenant.name): its certificate (CN \(tenant.commonName), serial \(tenant.serialHex)) expired on "
                            + "\(iso8601(tenant.notAfter)): GlusterFS refuses it, so the tenant cannot mount its shares",
                        fix: "issue a new certificate: gshare pki issue --ca TENANT_CA --cn \(commandWord(tenant.commonName)) --profile client"))
                guard !good.contains(tenant.commonName) else { continue }
                findings += listings(of: tenant, in: input, code: .expiredTenantListed, why: "whose certificate has expired")
            } else if tenant.notAfter <= input.warningHorizon {
                let days = Int((tenant.notAfter.timeIntervalSince(input.now) / 86400).rounded(.down))
                findings.append(
                    DoctorFinding(
                        .tenantCertificateExpiring, .warning, tenant: tenant.name,
                        "tenant \(tenant.name): its certificate (CN \(tenant.commonName)) expires on \(iso8601(tenant.notAfter)), "
                            + "in \(days) day\(days == 1 ? "" : "s"): then the tenant is locked out of its shares",
                        fix: "issue a new certificate before then: gshare pki issue --ca TENANT_CA --cn \(commandWord(tenant.commonName)) --profile client"))
            }
        }
        return findings
    }

    /// Check 5: `revoked-tenant-listed` (critical): a CRL in the CRL folder revokes a
    /// tenant's certificate (matched by issuer and serial) and its CN is still on a share.
    /// Safe fix: remove the CN. (GlusterFS itself refuses a revoked certificate only if the
    /// servers' ssl.crl-path holds that CRL; the list should not rely on it.)
    public static func revocationFindings(_ input: DoctorInput) -> [DoctorFinding] {
        guard let crls = input.crlDirectory else { return [] }
        let good = goodStandingCNs(input)
        var findings: [DoctorFinding] = []
        for tenant in input.tenants where crls.revokes(issuer: tenant.issuer, serialHex: tenant.serialHex) {
            guard !good.contains(tenant.commonName) else { continue }
            findings += listings(of: tenant, in: input, code: .revokedTenantListed, why: "whose certificate is revoked (\(crls.path))")
        }
        return findings
    }

    /// One critical finding per share that still lists `tenant`'s CN, with the safe fix
    /// (removing it) when the share is active.
    private static func listings(of tenant: DoctorTenant, in input: DoctorInput, code: DoctorFinding.Code, why: String) -> [DoctorFinding] {
        input.inventory.volumes.compactMap { volume in
            guard let share = share(of: volume), volume.allowList.entries.contains(tenant.commonName) else { return nil }
            let message = "share \(share.id) (\(label(volume))) still lets in \(tenant.commonName), the CN of tenant \(tenant.name) \(why)"
            guard share.active else {
                return DoctorFinding(
                    code, .critical, volume: label(volume), share: share.id, tenant: tenant.name,
                    message + "; the share is being deleted", fix: "finish the delete: gshare share delete \(share.id)")
            }
            return DoctorFinding(
                code, .critical, volume: label(volume), share: share.id, tenant: tenant.name, message,
                fix: "gshare access deny \(share.id) --cn \(commandWord(tenant.commonName))",
                action: .removeCN(share: share.id, cn: tenant.commonName))
        }
    }
}

/// `2026-01-31T12:00:00Z`.
func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import TenantPKI
import Testing

@testable import GlusterDriver

@Suite("Doctor checks 3-5: registry drift, tenant expiry and revocation")
struct TenantCheckTests {
    static let listed = "gluster-node-1,gshare-manager,tenant-a,tenant-b"

    // MARK: 3. Drift

    @Test("a CN no tenant owns on a share is unknown-cn, a warning with a deny fix but no automatic action")
    func unknownCNIsReportedNotRemoved() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1", granted: ["tenant-a"])) { $1 })
        let findings = Doctor.registryDriftFindings(try input([volume], tenants: [tenant("tenant-a")]))
        #expect(findings.codes == ["unknown-cn"])
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning && !finding.safeFix && finding.share == "s-1")
        #expect(finding.message.contains("\"tenant-b\"") && finding.message.contains("added outside gshare"))
        #expect(finding.fix.hasPrefix("gshare access deny s-1 --cn tenant-b"))
    }

    @Test("a CN gshare granted whose tenant left the registry says so")
    func grantedButUnregisteredSaysGshareGrantedIt() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1", granted: ["tenant-a", "tenant-b"])) { $1 })
        let findings = Doctor.registryDriftFindings(try input([volume], tenants: [tenant("tenant-a")]))
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("gshare granted it, but no tenant in the registry owns it now"))
    }

    @Test("a CN gshare granted that auth.ssl-allow no longer lists is granted-access-missing, never re-added automatically")
    func grantedButRemovedByHand() throws {
        let list = "gluster-node-1,gshare-manager,tenant-a"
        let volume = try poolVolume("v", ["auth.ssl-allow": list].merging(shareMarks("s-1", granted: ["tenant-a", "tenant-b"])) { $1 })
        let findings = Doctor.registryDriftFindings(try input([volume], tenants: [tenant("tenant-a"), tenant("tenant-b")]))
        #expect(findings.codes == ["granted-access-missing"])
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning && !finding.safeFix && finding.share == "s-1")
        #expect(finding.message.contains("tenant tenant-b") && finding.message.contains("removed outside gshare"))
        #expect(finding.fix.hasPrefix("gshare access allow s-1 --cn tenant-b"))
    }

    @Test("a registry tenant holding a system CN is critical, named with its serial and the revocation that fixes it")
    func aTenantWithASystemCNIsCritical() throws {
        let findings = Doctor.registryDriftFindings(
            try input([], tenants: [tenant("tenant-a"), tenant("impostor", cn: "gshare-manager", serial: "7F")], complete: false))
        #expect(findings.codes == ["tenant-is-system-cn"])
        let finding = try #require(findings.first)
        #expect(finding.severity == .critical && finding.tenant == "impostor" && !finding.safeFix)
        #expect(finding.message.contains("\"gshare-manager\"") && finding.message.contains("serial 7F"))
        #expect(finding.fix.contains("gshare pki revoke") && finding.fix.contains("gshare tenant remove impostor"))
    }

    @Test("without the whole registry, no CN is called unknown")
    func incompleteRegistrySkipsUnknownCN() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        #expect(Doctor.registryDriftFindings(try input([volume], complete: false)).isEmpty)
    }

    @Test("globs are left to allow-list-glob, system CNs and tenant CNs are not drift")
    func globsSystemAndTenantCNsAreNotDrift() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-a,team-*"].merging(shareMarks("s-1")) { $1 })
        #expect(Doctor.registryDriftFindings(try input([volume], tenants: [tenant("tenant-a")])).isEmpty)
    }

    @Test("a free volume still listing a tenant is cn-on-free-volume, with the list of system CNs as fix")
    func leftoverCNOnFreeVolume() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-a"])
        let findings = Doctor.registryDriftFindings(try input([volume], tenants: [tenant("tenant-a")], complete: false))
        #expect(findings.codes == ["cn-on-free-volume"])
        #expect(findings[0].fix == "gluster volume set v auth.ssl-allow gluster-node-1,gshare-manager")
    }

    // MARK: 4. Expiry

    @Test("a certificate ending inside the window is a warning; outside it, nothing")
    func expiringInsideWindowWarns() throws {
        let findings = Doctor.tenantExpiryFindings(try input([], tenants: [tenant("soon", expiresIn: 10.5), tenant("later", expiresIn: 31)]))
        #expect(findings.codes == ["tenant-cert-expiring"])
        #expect(findings[0].tenant == "soon" && findings[0].severity == .warning)
        #expect(findings[0].message.contains("in 10 days"))
    }

    @Test("the window follows expiryWarningDays")
    func windowFollowsConfiguredDays() throws {
        let findings = Doctor.tenantExpiryFindings(try input([], tenants: [tenant("later", expiresIn: 31)], days: 60))
        #expect(findings.codes == ["tenant-cert-expiring"])
    }

    @Test("an expired tenant listed on an active share: critical, with the safe fix removing its CN from that share")
    func expiredAndListedIsSafelyRemoved() throws {
        let share = try poolVolume("v1", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        let other = try poolVolume("v2", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-b"].merging(shareMarks("s-2")) { $1 })
        let findings = Doctor.tenantExpiryFindings(try input([share, other], tenants: [tenant("tenant-a", expiresIn: -1)]))
        #expect(findings.codes == ["tenant-cert-expired", "expired-tenant-listed"])
        #expect(findings.allSatisfy { $0.severity == .critical })
        #expect(findings[0].safeFix == false)
        #expect(findings[1].fixAction == .removeCN(share: "s-1", cn: "tenant-a"))
        #expect(findings[1].fix == "gshare access deny s-1 --cn tenant-a")
    }

    @Test("an expired certificate whose CN a valid tenant also holds is not removed")
    func renewedTenantKeepsItsCN() throws {
        let share = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        let findings = Doctor.tenantExpiryFindings(
            try input([share], tenants: [tenant("tenant-a-old", cn: "tenant-a", expiresIn: -1), tenant("tenant-a", expiresIn: 300)]))
        #expect(findings.codes == ["tenant-cert-expired"])
    }

    @Test("an expired tenant on a share being deleted: critical, no automatic fix, finish the delete")
    func expiredOnShareBeingDeletedIsNotAutoFixed() throws {
        let share = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1", state: "needs-wipe")) { $1 })
        let findings = Doctor.tenantExpiryFindings(try input([share], tenants: [tenant("tenant-a", expiresIn: -1)]))
        let listed = try #require(findings.with(.expiredTenantListed).first)
        #expect(!listed.safeFix)
        #expect(listed.fix == "finish the delete: gshare share delete s-1")
    }

    // MARK: 5. Revocation (real CRLs)

    @Test("a revoked tenant still listed is critical with the safe removal; a sibling that is not revoked is left alone")
    func revokedAndListedIsSafelyRemoved() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let (revoked, revokedCertificate) = try pki.tenant("tenant-a")
        let (kept, _) = try pki.tenant("tenant-b")
        _ = try pki.intermediate.revoke(certificate: revokedCertificate.certificate, reason: .keyCompromise, at: referenceTime.addingTimeInterval(-2 * day))
        let crls = try pki.publishCRLs()
        let share = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        let findings = Doctor.revocationFindings(try input([share], tenants: [revoked, kept], crls: crls))
        #expect(findings.codes == ["revoked-tenant-listed"])
        #expect(findings[0].tenant == "tenant-a" && findings[0].severity == .critical)
        #expect(findings[0].fixAction == .removeCN(share: "s-1", cn: "tenant-a"))
    }

    @Test("revocation matches issuer and serial: the serial's case and leading zeros do not matter, another issuer does")
    func revocationMatchesIssuerAndSerial() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let (real, issued) = try pki.tenant("tenant-a")
        _ = try pki.intermediate.revoke(certificate: issued.certificate, at: referenceTime.addingTimeInterval(-2 * day))
        let crls = try pki.publishCRLs()
        #expect(crls.revokes(issuer: real.issuer, serialHex: "00" + real.serialHex.lowercased()))
        #expect(!crls.revokes(issuer: pki.root.certificate.subject, serialHex: real.serialHex))
        let share = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        let impostor = tenant("tenant-a", serial: real.serialHex, issuer: pki.root.certificate.subject)
        #expect(Doctor.revocationFindings(try input([share], tenants: [impostor], crls: crls)).isEmpty)
    }

    @Test("without a CRL folder nothing is revoked")
    func noCRLFolderNoRevocation() throws {
        let share = try poolVolume("v", ["auth.ssl-allow": Self.listed].merging(shareMarks("s-1")) { $1 })
        #expect(Doctor.revocationFindings(try input([share], tenants: [tenant("tenant-a")])).isEmpty)
    }
}

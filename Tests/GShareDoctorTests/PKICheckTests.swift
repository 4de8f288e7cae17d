//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import TenantPKI
import Testing

@testable import GlusterDriver

@Suite("Doctor checks 6-8: the CRL folder, gshare's own certificate, ssl.certificate-depth")
struct PKICheckTests {
    // MARK: 6. CRL folder

    @Test("a folder published by gshare pki crl, with a current CRL for every tenant CA, is clean")
    func publishedFolderIsClean() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let crls = try pki.publishCRLs()
        #expect(crls.revocationLists.count == 2)
        let cas = [pki.root.certificate, pki.intermediate.certificate]
        #expect(Doctor.crlDirectoryFindings(try input([], crls: crls, cas: cas)).isEmpty)
    }

    @Test("a CA certificate in the folder is a warning: it would become a trust anchor")
    func caCertificateInFolderWarns() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        _ = try pki.publishCRLs()
        try pki.intermediate.certificate.pemString.write(toFile: pki.hashedDirectory + "/0badc0de.0", atomically: true, encoding: .utf8)
        let findings = Doctor.crlDirectoryFindings(try input([], crls: CRLDirectory.load(from: pki.hashedDirectory)))
        #expect(findings.codes == ["crl-dir-holds-certificate"])
        #expect(findings[0].severity == .warning && findings[0].message.contains("TRUST ANCHOR"))
        #expect(findings[0].fix.hasPrefix("rm \(pki.hashedDirectory)/0badc0de.0"))
    }

    @Test("a tenant CA without a CRL in the folder is crl-missing")
    func caWithoutCRLIsMissing() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let outcome = try CRLPublisher.publish(for: [pki.root], days: 30, now: referenceTime, to: pki.directory.appendingPathComponent("crl").path)
        let crls = CRLDirectory.load(from: outcome.hashedDirectory)
        let findings = Doctor.crlDirectoryFindings(try input([], crls: crls, cas: [pki.root.certificate, pki.intermediate.certificate]))
        #expect(findings.codes == ["crl-missing"])
        #expect(findings[0].message.contains("CN=tenant-int"))
    }

    @Test("an intermediate a tenant presents with its leaf needs a CRL too")
    func presentedIntermediateNeedsCRL() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let (tenantA, _) = try pki.tenant("tenant-a")
        let outcome = try CRLPublisher.publish(for: [pki.root], days: 30, now: referenceTime, to: pki.directory.appendingPathComponent("crl").path)
        let findings = Doctor.crlDirectoryFindings(
            try input([], tenants: [tenantA], crls: CRLDirectory.load(from: outcome.hashedDirectory), cas: [pki.root.certificate]))
        #expect(findings.codes == ["crl-missing"])
    }

    @Test("a CRL past nextUpdate is critical; one due within 7 days is a warning")
    func crlExpiry() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let expired = try pki.publishCRLs(days: 5, issuedAt: referenceTime.addingTimeInterval(-6 * day))
        var findings = Doctor.crlDirectoryFindings(try input([], crls: expired))
        #expect(findings.codes == ["crl-expired", "crl-expired"])
        #expect(findings.allSatisfy { $0.severity == .critical && $0.message.contains("EVERY client") })
        let soon = try pki.publishCRLs(days: 10, issuedAt: referenceTime.addingTimeInterval(-4 * day))
        findings = Doctor.crlDirectoryFindings(try input([], crls: soon))
        #expect(findings.codes == ["crl-expiring", "crl-expiring"])
        #expect(findings.allSatisfy { $0.severity == .warning })
    }

    @Test("the newest CRL of an issuer is the one judged: an old expired copy beside a current one is fine")
    func newestCRLCounts() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let old = try pki.intermediate.issueCRL(days: 1, now: referenceTime.addingTimeInterval(-10 * day))
        _ = try pki.publishCRLs()
        try old.pemString.write(toFile: pki.hashedDirectory + "/\(old.issuerNameHash).r7", atomically: true, encoding: .utf8)
        #expect(Doctor.crlDirectoryFindings(try input([], crls: CRLDirectory.load(from: pki.hashedDirectory))).isEmpty)
    }

    @Test("a CRL not under its hashed name is never found by OpenSSL: crl-not-hashed")
    func unhashedCRLWarns() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let folder = pki.directory.appendingPathComponent("plain").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try pki.intermediate.issueCRL(days: 30, now: referenceTime).pemString.write(toFile: folder + "/tenant-int.crl.pem", atomically: true, encoding: .utf8)
        let findings = Doctor.crlDirectoryFindings(try input([], crls: CRLDirectory.load(from: folder)))
        #expect(findings.codes == ["crl-not-hashed"])
        #expect(findings[0].fix.hasPrefix("openssl rehash \(folder)"))
    }

    @Test("a folder that cannot be read is one warning; a stray file is info")
    func unreadableFolderAndStrayFile() throws {
        let missing = CRLDirectory.load(from: "/nonexistent/gshare-crl")
        #expect(Doctor.crlDirectoryFindings(try input([], crls: missing)).codes == ["crl-dir-unreadable"])
        let folder = try makeTemporaryDirectoryForTest()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "hello".write(toFile: folder + "/README", atomically: true, encoding: .utf8)
        let findings = Doctor.crlDirectoryFindings(try input([], crls: CRLDirectory.load(from: folder)))
        #expect(findings.codes == ["crl-dir-unknown-file"])
        #expect(findings[0].severity == .info)
    }

    @Test("without a configured folder there is nothing to check")
    func noFolderNoFindings() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        #expect(Doctor.crlDirectoryFindings(try input([], cas: [pki.root.certificate])).isEmpty)
    }

    // MARK: 7. gshare's own certificate

    @Test("gshare's certificate: expired is critical, expiring is a warning, valid is clean")
    func managerCertificateExpiry() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        func manager(days: Int) throws -> String {
            try pki.nodeRoot.issue(commonName: try cn("gshare-manager"), profile: .node, days: days, now: referenceTime.addingTimeInterval(-30 * day))
                .chainPEM
        }
        #expect(Doctor.managerCertificateFindings(try input([], manager: try manager(days: 20))).codes == ["manager-cert-expired"])
        #expect(Doctor.managerCertificateFindings(try input([], manager: try manager(days: 50))).codes == ["manager-cert-expiring"])
        #expect(Doctor.managerCertificateFindings(try input([], manager: try manager(days: 200))).isEmpty)
        #expect(Doctor.managerCertificateFindings(try input([], manager: try manager(days: 50), days: 10)).isEmpty)
    }

    @Test("gshare's CN missing from system_cns is a warning; an unreadable PEM is a warning")
    func managerCNAndUnreadablePEM() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let other = try pki.nodeRoot.issue(commonName: try cn("gshare-other"), profile: .node, days: 200, now: referenceTime).chainPEM
        #expect(Doctor.managerCertificateFindings(try input([], manager: other)).codes == ["manager-cn-not-system"])
        #expect(Doctor.managerCertificateFindings(try input([], manager: "not a pem")).codes == ["manager-cert-unreadable"])
    }

    // MARK: 8. Depth

    @Test("leaf → intermediate → root passes the default depth 1, and is critical on a volume set to 0")
    func depthAgainstOneIntermediate() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let (tenantA, _) = try pki.tenant("tenant-a")
        let defaultDepth = try poolVolume("v1")
        let zero = try poolVolume("v2", ["ssl.certificate-depth": "0"].merging(shareMarks("s-2")) { $1 })
        let findings = Doctor.certificateDepthFindings(try input([defaultDepth, zero], tenants: [tenantA], cas: [pki.root.certificate]))
        #expect(findings.codes == ["certificate-depth-too-small"])
        let finding = try #require(findings.first)
        #expect(finding.volume == "127.0.0.2:/v2" && finding.share == "s-2" && finding.severity == .critical)
        #expect(finding.message.contains("need 1 intermediate CA"))
        #expect(finding.fix == "gluster volume set v2 ssl.certificate-depth 1")
    }

    @Test("the tenant CA hierarchy alone sets the need, before any tenant exists")
    func depthFromCAHierarchyAlone() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let zero = try poolVolume("v", ["ssl.certificate-depth": "0"])
        let findings = Doctor.certificateDepthFindings(try input([zero], cas: [pki.root.certificate, pki.intermediate.certificate]))
        #expect(findings.codes == ["certificate-depth-too-small"])
        #expect(findings[0].message.contains("certificates issued by CN=tenant-int"))
    }

    @Test("tenants issued by the root need no intermediate: depth 0 is enough")
    func rootIssuedTenantsNeedNoDepth() throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let (direct, _) = try pki.tenant("tenant-a", by: pki.root)
        let zero = try poolVolume("v", ["ssl.certificate-depth": "0"])
        #expect(Doctor.certificateDepthFindings(try input([zero], tenants: [direct], cas: [pki.root.certificate])).isEmpty)
    }

    @Test("a depth that is not a number is a warning")
    func nonNumericDepthWarns() throws {
        let findings = Doctor.certificateDepthFindings(try input([try poolVolume("v", ["ssl.certificate-depth": "deep"])]))
        #expect(findings.codes == ["certificate-depth-invalid"])
        #expect(findings[0].severity == .warning)
    }
}

func makeTemporaryDirectoryForTest() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-doctor-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

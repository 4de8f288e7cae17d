//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

@Suite("CertificateAuthority: creating CAs, issuing, revoking, CRLs")
struct CertificateAuthorityTests {
    /// A root and an intermediate in a fresh temporary folder.
    struct Hierarchy {
        let folder: URL
        let root: CertificateAuthority
        let intermediate: CertificateAuthority

        init(_ name: String = "tenant", keyType: KeyType = .p256) throws {
            folder = try makeTemporaryDirectory()
            root = try CertificateAuthority.create(in: folder.appendingPathComponent("\(name)-root").path, commonName: "Test \(name) Root", keyType: keyType)
            intermediate = try CertificateAuthority.create(
                in: folder.appendingPathComponent("\(name)-int").path, commonName: "Test \(name) Intermediate", parent: root)
        }

        func verifier(crls: [RevocationList] = []) -> CertificateVerifier {
            CertificateVerifier(trustStore: TrustStore(anchors: [root.certificate], revocationLists: crls))
        }
    }

    @Test func aRootAndIntermediateHaveTheProfileTheIssueAsksFor() throws {
        let pki = try Hierarchy()
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        let root = pki.root.certificate
        #expect(root.basicConstraints == BasicConstraints(isCA: true, pathLength: 1, critical: true))
        #expect(root.keyUsage?.usages == ["keyCertSign", "cRLSign"] && root.keyUsage?.critical == true)
        #expect(root.publicKey.algorithm == .ec(curve: "P-256"))
        #expect(root.serialNumberHex.count >= 32)
        let intermediate = pki.intermediate.certificate
        #expect(intermediate.basicConstraints == BasicConstraints(isCA: true, pathLength: 0, critical: true))
        #expect(intermediate.issuer == root.subject)
        #expect(pki.intermediate.chain == [intermediate, root])
        let mode = try FileManager.default.attributesOfItem(atPath: pki.intermediate.directory + "/ca.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let reloaded = try CertificateAuthority.load(from: pki.intermediate.directory)
        #expect(reloaded.certificate == intermediate && reloaded.parentDirectory == pki.root.directory)
        #expect(try pki.root.records().map(\.profile) == ["intermediate-ca"])
    }

    @Test(arguments: [KeyType.p256, .ed25519, .p384, .rsa2048])
    func issuedClientCertificatesPassTheStrictPolicy(_ keyType: KeyType) throws {
        let pki = try Hierarchy()
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        let issued = try pki.intermediate.issue(commonName: CommonName(validating: "tenant-a"), profile: .client, keyType: keyType)
        let report = pki.verifier().verify(chain: [issued.certificate] + issued.intermediates)
        #expect(report.isValid, "\(report.findings)")
        #expect(report.identity?.commonName.value == "tenant-a")
        #expect(issued.certificate.extendedKeyUsage?.purposes == ["clientAuth"])
        #expect(issued.certificate.notAfter.timeIntervalSince(issued.certificate.notBefore) <= 825 * 86400 + 300)
    }

    @Test func nodeCertificatesServeAndConnect() throws {
        let pki = try Hierarchy("node")
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        let issued = try pki.intermediate.issue(
            commonName: CommonName(validating: "gluster-node-1"), profile: .node,
            subjectAlternativeNames: [SubjectAlternativeName(validating: "DNS:gluster-node-1"), SubjectAlternativeName(validating: "IP:127.0.0.2")])
        #expect(issued.certificate.extendedKeyUsage?.purposes == ["serverAuth", "clientAuth"])
        #expect(issued.certificate.subjectAlternativeNames == ["DNS:gluster-node-1", "IP:127.0.0.2"])
        #expect(pki.verifier().verify(chain: [issued.certificate] + issued.intermediates).isValid)
    }

    @Test func aRevokedCertificateIsListedInTheNextCRLAndRejected() throws {
        let pki = try Hierarchy()
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        let issued = try pki.intermediate.issue(commonName: CommonName(validating: "tenant-b"), profile: .client)
        try pki.intermediate.appendRecords([issued.record])
        let before = try [pki.root.issueCRL(), pki.intermediate.issueCRL()]
        #expect(pki.verifier(crls: before).verify(chain: [issued.certificate] + issued.intermediates).isValid)

        try pki.intermediate.revoke(certificate: issued.certificate, reason: .keyCompromise)
        let after = try [pki.root.issueCRL(), pki.intermediate.issueCRL()]
        #expect(after[1].revokedSerials == [issued.certificate.serialNumberHex])
        #expect(after[1].number == before[1].number! + 1)
        let report = pki.verifier(crls: after).verify(chain: [issued.certificate] + issued.intermediates)
        #expect(report.errors.map(\.code) == [.certificateRevoked])
        let record = try #require(try pki.intermediate.records().first { $0.serial == issued.certificate.serialNumberHex })
        #expect(record.status == .revoked && record.reason == .keyCompromise)
    }

    @Test func anExistingCAIsNeverOverwritten() throws {
        let pki = try Hierarchy()
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: pki.root.directory + "/ca.key"))
        #expect {
            try CertificateAuthority.create(in: pki.root.directory, commonName: "Another Root")
        } throws: { ($0 as? PKIError)?.code == .alreadyExists }
        #expect(try Data(contentsOf: URL(fileURLWithPath: pki.root.directory + "/ca.key")) == before)
    }

    @Test func aLeafMayNotOutliveItsIssuer() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = try CertificateAuthority.create(in: folder.path + "/root", commonName: "Short Root", days: 30)
        #expect {
            try root.issue(commonName: CommonName(validating: "tenant-a"), profile: .client, days: 31)
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code == .issuanceRefused && error.reason.contains("after the issuing CA chain expires")
        }
        // The default is capped at the issuer's end instead.
        let capped = try root.issue(commonName: CommonName(validating: "tenant-a"), profile: .client)
        #expect(capped.certificate.notAfter <= root.certificate.notAfter)
    }

    @Test func anIntermediateCannotSignAnotherCA() throws {
        let pki = try Hierarchy()
        defer { try? FileManager.default.removeItem(at: pki.folder) }
        #expect {
            try CertificateAuthority.create(in: pki.folder.path + "/third", commonName: "Third", parent: pki.intermediate)
        } throws: { ($0 as? PKIError)?.reason.contains("pathlen 0") == true }
        #expect(!FileManager.default.fileExists(atPath: pki.folder.path + "/third/ca.key"))
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GShareWorkflows
import WorkflowTestbed
import Logging
import TenantPKI
import TenantRegistry
import Testing

/// The lab PKI workflows; revocations are audited.
@Suite("PKI workflows: issuance, revocation (audited), lab names")
struct PKIWorkflowsTests {
    static func workflows(_ folder: URL) -> PKIWorkflows {
        let context = WorkflowContext(principal: Testbed.principal, request: ["gshare", "pki", "revoke"], logger: Logger(label: "test"))
        return PKIWorkflows(context: context, auditStateDirectory: folder.appendingPathComponent("state").path)
    }

    @Test func aRevocationIsRecordedInTheCAAndAuditedOnceEvenWhenRepeated() async throws {
        let folder = try makeTemporaryDirectory()
        let pki = Self.workflows(folder)
        let ca = folder.appendingPathComponent("ca").path
        _ = try pki.createAuthority(in: ca, commonName: nil, keyType: .p256, days: nil, parent: nil)
        let issued = try pki.issue(
            ca: ca, commonName: "tenant-a", profile: .client, subjectAlternativeNames: [], days: 30, keyType: .p256,
            output: folder.appendingPathComponent("tenant-a").path, peerRoots: [], replacing: false)
        #expect(issued.issued.certificate.glusterFSName.displayText == "tenant-a")

        let first = try await pki.revoke(ca: ca, .certificate(path: issued.files[0]), reason: .keyCompromise)
        #expect(!first.alreadyRevoked && first.record.commonName == "tenant-a")
        let second = try await pki.revoke(ca: ca, .serial(first.record.serial), reason: .keyCompromise)
        #expect(second.alreadyRevoked)

        let entries = try TenantRegistry(stateDirectory: pki.audit.stateDirectory).audit()
        #expect(entries.map(\.result) == [.ok, .ok])
        #expect(entries[0].message?.hasPrefix("revoked tenant-a") == true && entries[1].message?.hasPrefix("already revoked") == true)
        #expect(entries.allSatisfy { $0.user == Testbed.principal.user && $0.target.hasPrefix(ca) })
    }

    @Test func aSerialTheCANeverIssuedIsRefusedAndAuditedAsRefused() async throws {
        let folder = try makeTemporaryDirectory()
        let pki = Self.workflows(folder)
        let ca = folder.appendingPathComponent("ca").path
        _ = try pki.createAuthority(in: ca, commonName: "Test Root", keyType: .p256, days: nil, parent: nil)
        await #expect {
            try await pki.revoke(ca: ca, .serial("0A"), reason: .unspecified)
        } throws: { ($0 as? WorkflowError)?.code.rawValue == "unknown-serial" && ($0 as? WorkflowError)?.verdict == .refused }
        #expect(try TenantRegistry(stateDirectory: pki.audit.stateDirectory).audit().map(\.result) == [.refused])
    }

    @Test func aNewCAIsNamedAfterItsFolderUnlessNamed() throws {
        let folder = try makeTemporaryDirectory()
        let pki = Self.workflows(folder)
        let unnamed = try pki.createAuthority(in: folder.appendingPathComponent("tenant-root/").path, commonName: nil, keyType: .p256, days: nil, parent: nil)
        #expect(unnamed.authority.certificate.subject.contains("gshare tenant-root CA"))
        let named = try pki.createAuthority(in: folder.appendingPathComponent("x").path, commonName: "My Root", keyType: .p256, days: nil, parent: nil)
        #expect(named.authority.certificate.subject.contains("My Root"))
    }

    @Test func numberedTenantsAreZeroPaddedToFourDigits() throws {
        #expect(try PKIWorkflows.numberedTenants(3).map(\.value) == ["tenant-0001", "tenant-0002", "tenant-0003"])
        #expect(try PKIWorkflows.numberedTenants(0).isEmpty)
        #expect(try PKIWorkflows.numberedTenants(10_000).last?.value == "tenant-10000")
    }

    @Test func aHostileNameOnTheCommandLineIsRefusedBeforeTheProfileIsRead() throws {
        let folder = try makeTemporaryDirectory()
        let pki = Self.workflows(folder)
        for names in [["a", ""], ["a b"], ["*"]] {
            let error = try #require(throws: WorkflowError.self) {
                try pki.buildLab(in: folder.appendingPathComponent("lab").path, profile: "/nonexistent/lab.toml", nodes: names, tenants: nil, tenantCount: nil)
            }
            #expect(error.code.rawValue == "invalid-common-name" && error.verdict == .refused)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("lab").path))
    }
}

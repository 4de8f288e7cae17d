//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI
import Testing

/// A tenant certificate named like a system CN (a node, gshare's own identity) is let into
/// every volume by the servers: the tenant policy refuses it when the system CNs are known,
/// and a tenant CA refuses to issue it.
@Suite("System CNs: never a tenant's name")
struct SystemNameTests {
    static let system: Set<String> = ["gluster-node-1", "gshare-manager"]

    @Test func theTenantPolicyRefusesASystemCNThatGlusterFSWouldAccept() throws {
        let folder = try makeTemporaryDirectory()
        let root = try CertificateAuthority.create(in: folder.appendingPathComponent("root").path, commonName: "Tenant Root")
        let issued = try root.issue(commonName: CommonName(validating: "gshare-manager"), profile: .client, days: 30)
        let strict = CertificateVerifier(trustStore: TrustStore(anchors: [root.certificate]), options: VerificationOptions(reservedCommonNames: Self.system))
        let report = strict.verify(chain: [issued.certificate])
        #expect(report.acceptedByGlusterFS, "GlusterFS itself would let it in: that is the danger")
        #expect(!report.passesPolicy && report.identity == nil)
        let finding = try #require(report.findings.first { $0.code == .cnIsSystemName })
        #expect(finding.layers == .policy && finding.message.contains("\"gshare-manager\"") && finding.fix.contains("gshare pki revoke"))
        // without the system CNs, nothing to compare with: valid (what cert verify without a configuration says)
        let plain = CertificateVerifier(trustStore: TrustStore(anchors: [root.certificate]))
        #expect(plain.verify(chain: [issued.certificate]).identity != nil)
    }

    @Test func aTenantCARefusesItsReservedNamesAndItsIntermediatesInheritThem() throws {
        let folder = try makeTemporaryDirectory()
        let root = try CertificateAuthority.create(
            in: folder.appendingPathComponent("tenant-root").path, commonName: "Tenant Root", hierarchy: .tenant, reservedNames: ["gshare-manager"])
        let intermediate = try CertificateAuthority.create(
            in: folder.appendingPathComponent("tenant-int").path, commonName: "Tenant Int", parent: root, reservedNames: ["gluster-node-1"])
        #expect(intermediate.hierarchy == .tenant && intermediate.reservedNames == ["gshare-manager", "gluster-node-1"])
        for name in ["gshare-manager", "gluster-node-1"] {
            let error = try #require(throws: PKIError.self) {
                try intermediate.issue(commonName: CommonName(validating: name), profile: .client, days: 30)
            }
            #expect(error.code == .issuanceRefused && error.reason.contains("system CN"))
            #expect(throws: PKIError.self) { try intermediate.issue(commonName: CommonName(validating: name), profile: .node, days: 30) }
        }
        #expect(try intermediate.issue(commonName: CommonName(validating: "tenant-a"), profile: .client, days: 30).certificate.glusterFSName.displayText == "tenant-a")
        // what it knows survives reloading
        let reloaded = try CertificateAuthority.load(from: intermediate.directory)
        #expect(reloaded.hierarchy == .tenant && reloaded.reservedNames == intermediate.reservedNames)
    }

    @Test func aNodeCAIssuesTheSystemNamesAndACAThatDoesNotKnowRefusesThemOnlyForClients() throws {
        let folder = try makeTemporaryDirectory()
        let node = try CertificateAuthority.create(in: folder.appendingPathComponent("node-root").path, commonName: "Node Root", hierarchy: .node)
        let issued = try node.issue(commonName: CommonName(validating: "gshare-manager"), profile: .node, days: 30, reserved: Self.system)
        #expect(issued.certificate.glusterFSName.displayText == "gshare-manager")
        let unknown = try CertificateAuthority.create(in: folder.appendingPathComponent("some-root").path, commonName: "Some Root")
        #expect(throws: PKIError.self) {
            try unknown.issue(commonName: CommonName(validating: "gshare-manager"), profile: .client, days: 30, reserved: Self.system)
        }
        let asNode = try unknown.issue(commonName: CommonName(validating: "gshare-manager"), profile: .node, days: 30, reserved: Self.system)
        #expect(asNode.profile == .node)
    }

    @Test func theLabMarksItsTenantCAsWithEveryNodeAndTheManagerAlsoWhenTheyCameFromAnOlderGshare() throws {
        let folder = try makeTemporaryDirectory()
        let profile = try LabProfile.load(fromFile: repositoryRoot.appendingPathComponent("pki/lab.toml").path)
        _ = try LabBuilder.build(profile, in: folder.path)
        let tenantInt = try CertificateAuthority.load(from: folder.appendingPathComponent("ca/tenant-int").path)
        let nodeInt = try CertificateAuthority.load(from: folder.appendingPathComponent("ca/node-int").path)
        #expect(tenantInt.hierarchy == .tenant && nodeInt.hierarchy == .node)
        #expect(Set(tenantInt.reservedNames) == Set((profile.nodes + [profile.manager]).map(\.value)))
        #expect(throws: PKIError.self) { try tenantInt.issue(commonName: profile.manager, profile: .client, days: 30) }

        // a tenant CA written before the mark existed: the next lab run marks it
        let statePath = folder.appendingPathComponent("ca/tenant-int/ca.json").path
        let state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statePath))) as? [String: Any])
        let unmarked = state.filter { $0.key != "hierarchy" && $0.key != "reservedNames" }
        try JSONSerialization.data(withJSONObject: unmarked).write(to: URL(fileURLWithPath: statePath))
        #expect(try CertificateAuthority.load(from: folder.appendingPathComponent("ca/tenant-int").path).hierarchy == nil)
        _ = try LabBuilder.build(profile, in: folder.path)
        #expect(try CertificateAuthority.load(from: folder.appendingPathComponent("ca/tenant-int").path).reservedNames.contains(profile.manager.value))
    }
}

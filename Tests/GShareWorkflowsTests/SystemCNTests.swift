//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import GShareTestSupport
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import Logging
import TenantPKI
import TenantRegistry
import Testing

/// A tenant certificate named like a system CN would be let into every volume (the nodes
/// trust the tenant root, the system CNs are on every list): no workflow lets one in.
@Suite("System CNs never become tenants")
struct SystemCNTests {
    @Test func onboardingRefusesACertificateNamedLikeASystemCN() async throws {
        let bed = try Testbed()
        let onboarding = try await bed.workflows.onboard([try bed.issue("gshare-manager")])
        #expect(onboarding.results.first?.kind == .refused && onboarding.verdict == .refused)
        #expect(onboarding.results.first?.verification?.findings?.contains { $0.code == "cn-is-system-cn" } == true)
        #expect(try bed.workflows.tenants().isEmpty)
    }

    @Test func everyAllowPathRefusesASystemCNAndChangesNothing() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        let before = bed.pool.options(of: share.volume)
        // --cert: refused by the strict policy, with the reason
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .certificate(path: try bed.issue("gluster-node-1")))
        } throws: { ($0 as? WorkflowError)?.code == .invalidCertificate && "\($0)".contains("cn-is-system-cn") }
        // --cn
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .commonName("gshare-manager"))
        } throws: { ($0 as? WorkflowError)?.code == .systemCommonName && ($0 as? WorkflowError)?.verdict == .refused }
        // by name: a registry written before the rule (or by hand) holding a system CN
        let impostor = try bed.tenantRoot.issue(commonName: CommonName(validating: "gshare-manager"), profile: .client, days: 30)
        let identity = try #require(CertificateVerifier(trustStore: TrustStore(anchors: [bed.tenantRoot.certificate])).verify(chain: [impostor.certificate]).identity)
        try TenantRegistry(stateDirectory: bed.config.stateDirectory).onboard(identity, name: "impostor", at: Date())
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .tenant("impostor"))
        } throws: { ($0 as? WorkflowError)?.code == .systemCommonName }
        #expect(bed.pool.options(of: share.volume) == before)
        // and the doctor says so, critically
        let doctor = try await bed.workflows.doctor(fix: false)
        #expect(doctor.report.findings.contains { $0.code == .tenantIsSystemCN && $0.severity == .critical && $0.tenant == "impostor" })
        #expect(doctor.verdict == .refused)
    }

    @Test func certVerifyWithTheConfigurationsSystemCNsRefusesWhatItAcceptsWithout() throws {
        let bed = try Testbed()
        let path = try bed.issue("gshare-manager")
        let caFile = "\(bed.tenantRoot.directory)/ca.pem"
        let strict = try CertificateWorkflows.verify(VerificationRequest(leaves: [path], caFile: caFile, systemCNs: ["gshare-manager"]))
        #expect(strict.verdict == .refused && strict.files[0].report?.findings.contains { $0.code == .cnIsSystemName } == true)
        #expect(try CertificateWorkflows.verify(VerificationRequest(leaves: [path], caFile: caFile)).verdict == .ok)
    }

    @Test func issuingRefusesNamesTheNodeHierarchyBesideIssuedAndTheConfigurationsSystemCNs() throws {
        let folder = try makeTemporaryDirectory()
        let context = WorkflowContext(principal: Testbed.principal, request: ["gshare", "pki", "issue"], logger: Logger(label: "test"))
        let pki = PKIWorkflows(context: context, auditStateDirectory: folder.appendingPathComponent("state").path, systemCNs: ["gshare-manager"])
        // a lab-like layout made without marks (an older gshare, or by hand): ca/node-int issued gluster-node-7
        let ca = folder.appendingPathComponent("ca")
        _ = try pki.createAuthority(in: ca.appendingPathComponent("node-int").path, commonName: "Node", keyType: .p256, days: nil, parent: nil)
        _ = try pki.createAuthority(in: ca.appendingPathComponent("tenant-int").path, commonName: "Tenant", keyType: .p256, days: nil, parent: nil)
        func issue(_ name: String, by authority: String, profile: CertificateProfile = .client) throws -> IssuedCredentials {
            try pki.issue(
                ca: ca.appendingPathComponent(authority).path, commonName: name, profile: profile, subjectAlternativeNames: [], days: 30,
                keyType: .p256, output: folder.appendingPathComponent("out-\(name)-\(authority)").path, peerRoots: [], replacing: false)
        }
        _ = try issue("gluster-node-7", by: "node-int", profile: .node)
        for name in ["gluster-node-7", "gshare-manager"] {
            let error = try #require(throws: WorkflowError.self) { try issue(name, by: "tenant-int") }
            #expect(error.code.rawValue == "issuance-refused" && error.verdict == .refused && error.message.contains("system CN"))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out-\(name)-tenant-int").path), "nothing written")
        }
        #expect(try issue("tenant-a", by: "tenant-int").files.isEmpty == false)
    }
}

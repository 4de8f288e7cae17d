//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import TenantPKI
import TenantRegistry
import Testing

/// `doctor --fix` changes auth.ssl-allow: each fix is audited by the workflow that makes it.
@Suite("Doctor workflow: safe fixes, each audited")
struct DoctorWorkflowTests {
    @Test func fixingAMissingSystemCNIsAppliedAuditedAndJudgedAgain() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        bed.pool.setOption("auth.ssl-allow", "gluster-node-1,tenant-a", on: share.volume)  // someone edited it by hand

        let before = try await bed.workflows.doctor(fix: false)
        #expect(before.report.findings.contains { $0.code == .systemCNMissing } && before.verdict == .refused)
        #expect(before.fixes.isEmpty)

        let fixed = try await bed.workflows.doctor(fix: true)
        #expect(fixed.fixes == [FixOutcome(
            action: .addSystemCNs(volume: "127.0.0.2:/vol-a"), applied: true,
            message: "added gshare-manager to auth.ssl-allow of 127.0.0.2:/vol-a (now gshare-manager,gluster-node-1,tenant-a)")])
        #expect(!fixed.report.findings.contains { $0.code == .systemCNMissing })
        #expect(bed.pool.options(of: share.volume)["auth.ssl-allow"] == "gshare-manager,gluster-node-1,tenant-a", "system CNs first")

        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .ok && entry.target == "127.0.0.2:/vol-a" && entry.message?.hasPrefix("added gshare-manager") == true)
        #expect(entry.user == Testbed.principal.user && entry.command == Testbed.request)
    }

    @Test func anExpiredTenantIsRemovedFromTheShareAndTheRemovalIsAudited() async throws {
        let bed = try Testbed(now: Date().addingTimeInterval(10 * 86400))
        _ = try await bed.share("data")
        // onboarded while it was valid (today), judged ten days later
        let issued = try bed.tenantRoot.issue(commonName: CommonName(validating: "tenant-b"), profile: .client, days: 2)
        let identity = try #require(CertificateVerifier(trustStore: TrustStore(anchors: [bed.tenantRoot.certificate])).verify(chain: [issued.certificate]).identity)
        try TenantRegistry(stateDirectory: bed.config.stateDirectory).onboard(identity, at: Date())
        _ = try await bed.workflows.allow(share: "data", identity: .commonName("tenant-b"))

        let outcome = try await bed.workflows.doctor(fix: true)
        let shareID = try #require(outcome.fixes.first?.action.share)
        #expect(outcome.fixes.map(\.action) == [.removeCN(share: shareID, cn: "tenant-b")])
        #expect(outcome.fixes.allSatisfy { $0.applied })
        #expect(!outcome.report.findings.contains { $0.code == .expiredTenantListed })
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .ok && entry.message?.hasPrefix("removed tenant-b from share") == true)
    }

    @Test func aFixThatFailsIsReportedAndAuditedAsFailed() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        bed.pool.setOption("auth.ssl-allow", "gluster-node-1", on: share.volume)
        bed.pool.failWrites = true

        let outcome = try await bed.workflows.doctor(fix: true)
        let fix = try #require(outcome.fixes.first)
        #expect(!fix.applied && fix.message.contains("glusterd does not answer"), "\(fix.message)")
        #expect(outcome.report.findings.contains { $0.code == .systemCNMissing }, "still missing after the failed fix")
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .failed && entry.target == "127.0.0.2:/vol-a" && entry.message?.contains("glusterd does not answer") == true)
    }
}

extension FixAction {
    var share: String? {
        if case .removeCN(let share, _) = self { return share }
        return nil
    }
}

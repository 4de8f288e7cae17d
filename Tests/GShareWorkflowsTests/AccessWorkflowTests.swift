//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import TenantRegistry
import Testing

/// allow/deny through the workflow layer: the grant policy, the driver and the audit entry
/// made where the change is made, with who asked.
@Suite("Access workflows: every change audited where it is made")
struct AccessWorkflowTests {
    @Test func anAllowByCertificateLetsTheGlusterFSNameInAndIsAuditedWithThePrincipal() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        let change = try await bed.workflows.allow(share: "data", identity: .certificate(path: try bed.issue("tenant-a")))
        #expect(change.changed && change.commonName == "tenant-a")
        #expect(bed.pool.options(of: share.volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .ok && entry.target == "data" && entry.message == "tenant-a on 127.0.0.2:/vol-a")
        #expect(entry.user == Testbed.principal.user && entry.host == Testbed.principal.host && entry.command == Testbed.request)
    }

    @Test func aRefusedAllowChangesNothingAndIsAuditedAsRefused() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        bed.pool.setOption("client.ssl", "off", on: share.volume)
        let writes = bed.pool.writes.count
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .commonName("tenant-a"))
        } throws: { error in
            (error as? WorkflowError)?.code.rawValue == "posture-not-ready" && (error as? WorkflowError)?.verdict == .refused
        }
        #expect(bed.pool.writes.count == writes, "nothing may be written")
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .refused && entry.target == "data" && entry.message?.contains("TLS posture is not ready") == true)
    }

    @Test func aChangeThatFailsIsAuditedAsFailedWithTheReason() async throws {
        let bed = try Testbed()
        _ = try await bed.share("data")
        bed.pool.failWrites = true
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .commonName("tenant-a"))
        } throws: { error in
            (error as? WorkflowError)?.code.rawValue == "glusterd-unreachable" && (error as? WorkflowError)?.verdict == .failed
        }
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .failed && entry.target == "data")
        #expect(entry.message?.contains("glusterd does not answer") == true, "\(entry.message ?? "")")
    }

    @Test func unsupportedAccessTypesAndLevelsAreRefusedBeforeTheIdentityIsResolved() async throws {
        let bed = try Testbed()
        _ = try await bed.share("data")
        let calls = bed.pool.calls.count
        for request in [AccessRequest(accessType: "ip"), AccessRequest(accessType: "user"), AccessRequest(level: "ro")] {
            await #expect {
                // an unknown tenant too: the request is judged first
                try await bed.workflows.allow(share: "data", identity: .tenant("nobody"), request: request)
            } throws: { ($0 as? WorkflowError)?.code.rawValue == "invalid-request" }
        }
        #expect(bed.pool.calls.count == calls, "no gluster call for a refused request")
        #expect(try bed.audit().suffix(3).allSatisfy { $0.result == .refused })
    }

    @Test func denyingASystemCNIsRefusedAndAudited() async throws {
        let bed = try Testbed()
        _ = try await bed.share("data")
        await #expect {
            try await bed.workflows.deny(share: "data", identity: .commonName("gshare-manager"))
        } throws: { ($0 as? WorkflowError)?.code.rawValue == "system-cn" }
        #expect(try bed.audit().last?.result == .refused)
    }

    @Test func aHostileCNNeverReachesTheVolume() async throws {
        let bed = try Testbed()
        let share = try await bed.share("data")
        for hostile in ["*", "tenant-*", "a,b", "a b", "", "tenant\u{0}a", "ténant"] {
            await #expect {
                try await bed.workflows.allow(share: "data", identity: .commonName(hostile))
            } throws: { ($0 as? WorkflowError)?.code.rawValue == "invalid-common-name" && ($0 as? WorkflowError)?.verdict == .refused }
        }
        #expect(bed.pool.options(of: share.volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
    }
}

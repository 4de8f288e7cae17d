//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import TenantRegistry
import Testing

/// Share names are unique in the pool: a race is stepped back from, an ambiguous name is
/// refused with the ids.
@Suite("Share names: unique, never picked arbitrarily")
struct ShareNameTests {
    static func marks(_ id: String, name: String) -> [String: String] {
        ["user.gshare.share": id, "user.gshare.name": name, "user.gshare.state": "active", "user.gshare.granted": "NONE"]
    }

    @Test func aNameTwoSharesCarryIsRefusedListingBothIdsAndTheIdsStillWork() async throws {
        var first = InMemoryPool.readyVolume("vol-a")
        var second = InMemoryPool.readyVolume("vol-b")
        first.options.merge(Self.marks("id-1", name: "data")) { $1 }
        second.options.merge(Self.marks("id-2", name: "data")) { $1 }
        let bed = try Testbed(volumes: [first, second])
        for call in [{ try await bed.workflows.share("data") }, { try await bed.workflows.accessList(share: "data") }] as [() async throws -> Share] {
            await #expect {
                try await call()
            } throws: { error in
                (error as? WorkflowError)?.code.rawValue == "ambiguous-share" && (error as? WorkflowError)?.verdict == .refused
                    && "\(error)".contains("id-1") && "\(error)".contains("id-2")
            }
        }
        await #expect {
            try await bed.workflows.allow(share: "data", identity: .commonName("tenant-a"))
        } throws: { ($0 as? WorkflowError)?.code.rawValue == "ambiguous-share" }
        #expect(bed.pool.writes.isEmpty, "nothing written to either")
        #expect(try await bed.workflows.allow(share: "id-2", identity: .commonName("tenant-a")).changed)
        #expect(bed.pool.options(of: "vol-b")["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
    }

    @Test func aCreatorThatSeesTheSameNameAppearElsewhereStepsBackAndLeavesTheVolumeFree() async throws {
        let bed = try Testbed()
        // another gshare host names vol-b "data" right after this one wrote vol-a's marks
        bed.pool.afterNextSet { volumes in
            volumes[1].options.merge(ShareNameTests.marks("other-host-id", name: "data")) { $1 }
        }
        await #expect {
            try await bed.workflows.createShare(name: "data", sizeGB: nil)
        } throws: { error in
            (error as? WorkflowError)?.code.rawValue == "name-taken" && "\(error)".contains("stepped back")
        }
        let volA = bed.pool.options(of: "vol-a")
        #expect(volA["user.gshare.share"] == "NONE" && volA["user.gshare.name"] == "NONE", "vol-a back in the pool: \(volA)")
        #expect(volA["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
        let shares = try await bed.workflows.shares()
        #expect(shares.map(\.id) == ["other-host-id"])
        #expect(try bed.audit().last?.result == .refused)
    }
}

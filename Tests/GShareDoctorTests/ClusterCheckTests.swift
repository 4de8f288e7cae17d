//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import Testing

@testable import GlusterDriver

/// Check 10: each trusted pool's peers, bricks and cluster lock.
@Suite("Doctor: the trusted pools (peers, bricks, the cluster lock)")
struct ClusterCheckTests {
    static let lock = ClusterHealth.LockVolumeHealth(name: "gluster_shared_storage", present: true, started: true, tls: true, admitsManager: true)

    func findings(
        disconnected: [String] = [], volumes: [ClusterHealth.VolumeHealth] = [], lock: ClusterHealth.LockVolumeHealth = lock, problems: [String] = []
    ) throws -> [DoctorFinding] {
        var judged = try input([try poolVolume("gshare-pool-01-1G")])
        judged.clusters = [
            ClusterHealth(
                servers: ["root@n1", "root@n2", "root@n3"], answered: "root@n1", nodeCount: 3, disconnectedPeers: disconnected, volumes: volumes,
                lockVolume: lock, problems: problems)
        ]
        let codes: [DoctorFinding.Code] = [
            .peerDisconnected, .bricksDown, .volumeNotServing, .clusterLockLocalOnly, .lockVolumeUnusable, .lockVolumeOpen, .clusterHealthUnknown,
        ]
        return Doctor.diagnose(judged).findings.filter { codes.contains($0.code) }
    }

    @Test func aHealthyPoolWithAnEnforcedLockVolumeHasNoFinding() throws {
        #expect(try findings().isEmpty)
    }

    @Test func oneNodeAwayIsAWarningAndTwoOfThreeAreCriticalQuorumLost() throws {
        let one = try findings(disconnected: ["n3"])
        #expect(one.count == 1 && one[0].severity == .warning && one[0].message.contains("n3") && one[0].message.contains("still succeed"))
        let two = try findings(disconnected: ["n2", "n3"])
        #expect(two.count == 2 && two.allSatisfy { $0.severity == .critical && $0.message.contains("lost its quorum") })
    }

    @Test func bricksDownWarnWhileTheVolumeServesAndAreCriticalWhenItCannot() throws {
        let serving = ClusterHealth.VolumeHealth(volume: "v1", replicaCount: 3, bricks: 3, bricksDown: ["n3:/b"], serving: true)
        let lost = ClusterHealth.VolumeHealth(volume: "v2", replicaCount: 3, bricks: 3, bricksDown: ["n2:/b", "n3:/b"], serving: false)
        let found = try findings(volumes: [serving, lost])
        #expect(found.first { $0.code == .bricksDown }?.volume == "v1")
        #expect(found.first { $0.code == .volumeNotServing }?.severity == .critical)
        #expect(found.first { $0.code == .volumeNotServing }?.message.contains("n2:/b, n3:/b") == true)
    }

    @Test func theLockVolumeMissingStoppedClosedToGshareOrOpenToAnyoneIsSaid() throws {
        let missing = try findings(lock: .init(name: "gluster_shared_storage", present: false, started: false, tls: false, admitsManager: nil))
        #expect(missing.map(\.code) == [.clusterLockLocalOnly] && missing[0].severity == .warning && missing[0].message.contains("one host only"))
        let stopped = try findings(lock: .init(name: "gluster_shared_storage", present: true, started: false, tls: true, admitsManager: true))
        #expect(stopped.map(\.code) == [.lockVolumeUnusable] && stopped[0].fix.contains("gluster volume start gluster_shared_storage"))
        let closed = try findings(lock: .init(name: "gluster_shared_storage", present: true, started: true, tls: true, admitsManager: false))
        #expect(closed.map(\.code) == [.lockVolumeUnusable] && closed[0].severity == .critical)
        let open = try findings(lock: .init(name: "gluster_shared_storage", present: true, started: true, tls: false, admitsManager: true))
        #expect(open.map(\.code) == [.lockVolumeOpen])
    }

    @Test func whatCouldNotBeReadIsAWarningNamingIt() throws {
        let found = try findings(problems: ["the peer list (gluster pool list on root@n1): timed out"])
        #expect(found.map(\.code) == [.clusterHealthUnknown] && found[0].message.contains("gluster pool list"))
    }
}

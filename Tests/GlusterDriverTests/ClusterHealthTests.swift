//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

/// Bricks online and the quorum of replica sets, judged from `volume status all` recorded on
/// the 3-node lab (fixtures/gluster-cluster, by its `record`) with every node up and with
/// node 3 killed.
@Suite("Cluster health: bricks down and quorum (recorded 3-node lab)")
struct ClusterHealthTests {
    static func poolVolumes(_ name: String) throws -> [VolumeInfo] {
        try VolumeInfo.parse(try ClusterMapTests.recorded(name)).filter { $0.name.hasPrefix("gshare-cpool-") }
    }

    @Test func withEveryNodeUpEveryBrickIsOnlineAndNoVolumeIsReported() throws {
        let status = try BrickStatus.parse(try ClusterMapTests.recorded("volume-status-all"))
        let volumes = try Self.poolVolumes("volume-info-all")
        #expect(volumes.count == 3 && volumes.allSatisfy { $0.replicaCount == 3 && $0.bricks.count == 3 })
        for volume in volumes { #expect(status.online[volume.name] == Set(volume.bricks), "\(volume.name)") }
        #expect(ClusterHealth.volumes(volumes, status: status).isEmpty)
    }

    @Test func withNode3DownItsBricksAreDownAndTheVolumesStillServe() throws {
        let status = try BrickStatus.parse(try ClusterMapTests.recorded("volume-status-all.node3-down"))
        let health = ClusterHealth.volumes(try Self.poolVolumes("volume-info-all.node3-down"), status: status)
        #expect(health.count == 3)
        for volume in health {
            #expect(volume.bricksDown.count == 1 && volume.bricksDown[0].hasPrefix("127.0.0.13:"), "\(volume)")
            #expect(volume.serving, "two of three bricks keep the quorum: \(volume)")
        }
    }

    @Test func aReplicaSetKeepsQuorumWithMoreThanHalfOrHalfIncludingItsFirstBrick() {
        let set = ["a:/b", "b:/b", "c:/b"]
        #expect(ClusterHealth.keepsQuorum(set, online: ["a:/b", "c:/b"]))
        #expect(!ClusterHealth.keepsQuorum(set, online: ["b:/b"]))
        #expect(ClusterHealth.keepsQuorum(["a:/b", "b:/b"], online: ["a:/b"]))
        #expect(!ClusterHealth.keepsQuorum(["a:/b", "b:/b"], online: ["b:/b"]))
        #expect(!ClusterHealth.keepsQuorum(["a:/b"], online: []))
    }

    @Test func twoOfThreeBricksDownLoseTheQuorumAndAStoppedVolumeIsLeftToThePostureCheck() throws {
        let volumes = try Self.poolVolumes("volume-info-all")
        let onlyNode1 = BrickStatus(online: Dictionary(uniqueKeysWithValues: volumes.map { ($0.name, Set($0.bricks.filter { $0.hasPrefix("127.0.0.11:") })) }))
        let health = ClusterHealth.volumes(volumes, status: onlyNode1)
        #expect(health.count == 3 && health.allSatisfy { !$0.serving && $0.bricksDown.count == 2 })
        let stopped = VolumeInfo(name: "s", status: .stopped, bricks: ["a:/b"], replicaCount: 1)
        #expect(ClusterHealth.volumes([stopped], status: BrickStatus(online: [:])).isEmpty)
    }

    @Test func aStatusThatIsNotTheCommandsXMLIsAnError() {
        let output = GlusterCommandOutput(exitStatus: 0, standardOutput: Data("<cliOutput><opRet>0</opRet><volStatus><volumes><volume><node/></volume></volumes></volStatus></cliOutput>".utf8), standardError: "")
        #expect(throws: GlusterDriverError.self) { try BrickStatus.parse(output) }
    }

    @Test func glusterdsQuorumRefusalIsQuorumLostAndADownNodeIsNodeDown() throws {
        func refused(_ text: String) -> GlusterCommandOutput {
            GlusterCommandOutput(
                exitStatus: 0,
                standardOutput: Data("<?xml version=\"1.0\"?><cliOutput><opRet>-1</opRet><opErrno>30800</opErrno><opErrstr>\(text)</opErrstr></cliOutput>".utf8),
                standardError: "")
        }
        let quorum = #expect(throws: GlusterDriverError.self) {
            _ = try VolumeInfo.parse(refused("Quorum not met. Volume operation not allowed."), command: ["volume", "set", "v"])
        }
        #expect(quorum?.code == .quorumLost)
        let node = #expect(throws: GlusterDriverError.self) {
            _ = try VolumeInfo.parse(refused("Host 127.0.0.13 not connected"), command: ["volume", "start", "v"])
        }
        #expect(node?.code == .nodeDown)
    }
}

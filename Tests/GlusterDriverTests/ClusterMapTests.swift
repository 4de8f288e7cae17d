//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import TenantPKI
import Testing

@testable import GlusterDriver

/// One trusted pool of three nodes, recorded from the cluster lab (fixtures/gluster-cluster,
/// recorded by its `record`): recognised as one cluster, each volume once, with its nodes
/// and the backup volfile servers a client needs; commands move to the next node only when
/// the first never took them.
@Suite("Clusters: one pool, many doors (recorded 3-node lab)")
struct ClusterMapTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/gluster-cluster")
    static let nodes = ["127.0.0.11", "127.0.0.12", "127.0.0.13"].map { GlusterServer(user: "root", host: $0, port: nil) }

    static func recorded(_ name: String) throws -> GlusterCommandOutput {
        let status = try String(contentsOf: folder.appendingPathComponent("\(name).status"), encoding: .utf8)
        return GlusterCommandOutput(
            exitStatus: Int32(status.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
            standardOutput: try Data(contentsOf: folder.appendingPathComponent("\(name).xml")), standardError: "")
    }

    static func config(servers: [GlusterServer] = nodes) throws -> GShareConfig {
        GShareConfig(
            targets: [], servers: servers, volumePattern: try VolumePattern(#"gshare-cpool-\d+-#{size}G"#),
            systemCNs: try ["gluster-node-1", "gluster-node-2", "gluster-node-3", "gshare-manager"].map { try .init(validating: $0) })
    }

    @Test func aPoolListNamesTheNodeThatAnsweredAndItsTwoPeers() throws {
        let members = try TrustedPoolMembers.parse(try Self.recorded("pool-list"), command: ["pool", "list"])
        #expect(members.peers.map(\.hostname).sorted() == ["127.0.0.12", "127.0.0.13"], "in glusterd's order, which changes when nodes restart")
        #expect(members.peers.filter(\.connected).count == 2)
        #expect(members.memberUUIDs.count == 3)
        #expect(!members.peers.map(\.uuid).contains(members.selfUUID))
    }

    @Test func aPoolListWithNode3DownSaysItIsDisconnected() throws {
        let members = try TrustedPoolMembers.parse(try Self.recorded("pool-list.node3-down"), command: ["pool", "list"])
        #expect(members.peers.first { $0.hostname == "127.0.0.13" }?.connected == false)
        #expect(members.peers.first { $0.hostname == "127.0.0.12" }?.connected == true)
    }

    @Test func aPoolListWithoutLocalhostIsRefusedAsMalformed() throws {
        let xml = "<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><peerStatus><peer><uuid>u</uuid><hostname>h</hostname><connected>1</connected></peer></peerStatus></cliOutput>"
        let error = #expect(throws: GlusterDriverError.self) {
            try TrustedPoolMembers.parse(GlusterCommandOutput(exitStatus: 0, standardOutput: Data(xml.utf8), standardError: ""), command: ["pool", "list"])
        }
        #expect(error?.code == .malformedOutput)
    }

    @Test func whatNode1SaysPutsAllThreeConfiguredServersInOneCluster() throws {
        var map = ClusterMap()
        #expect(map.groups(of: Self.nodes).count == 3, "nothing learned yet: each server its own group")
        map.learn(try TrustedPoolMembers.parse(try Self.recorded("pool-list"), command: []), from: Self.nodes[0], configured: Self.nodes)
        #expect(map.groups(of: Self.nodes) == [Self.nodes])
        #expect(map.cluster(of: Self.nodes[1], configured: Self.nodes) == [Self.nodes[1], Self.nodes[0], Self.nodes[2]])
        // an independent server stays apart
        let other = GlusterServer(user: "root", host: "127.0.0.99", port: nil)
        #expect(map.groups(of: Self.nodes + [other]) == [Self.nodes, [other]])
    }

    @Test func anOldEntryIsLearnedAgainNotTrusted() throws {
        var map = ClusterMap()
        let then = Date(timeIntervalSinceNow: -2 * ClusterMap.maximumAge)
        map.learn(try TrustedPoolMembers.parse(try Self.recorded("pool-list"), command: []), from: Self.nodes[0], configured: Self.nodes, now: then)
        #expect(map.groups(of: Self.nodes).count == 3)
    }

    @Test func theMapSurvivesAReloadAndAnUnreadableOneIsEmpty() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-clusters-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var map = ClusterMap()
        map.learn(try TrustedPoolMembers.parse(try Self.recorded("pool-list"), command: []), from: Self.nodes[0], configured: Self.nodes)
        map.save(stateDirectory: folder)
        let loaded = ClusterMap.load(stateDirectory: folder)
        #expect(loaded.servers.mapValues(\.uuid) == map.servers.mapValues(\.uuid))  // dates are kept to the second
        #expect(loaded.groups(of: Self.nodes) == [Self.nodes])
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: "\(folder)/clusters.json"))
        #expect(ClusterMap.load(stateDirectory: folder) == ClusterMap())
    }

    @Test func eachReplicatedVolumeIsListedOnceWithItsThreeNodesWhicheverNodeAnswered() throws {
        for file in ["volume-info-all", "volume-info-all.node2"] {
            let volumes = try VolumeInfo.parse(try Self.recorded(file))
            let read = ClusterRead(servers: Self.nodes, answered: Self.nodes[1], volumes: volumes)
            let inventory = PoolInventory.assemble(config: try Self.config(), clusters: [read])
            #expect(inventory.volumes.map(\.name) == ["gshare-cpool-01-1G", "gshare-cpool-02-1G", "gshare-cpool-03-2G"], "\(file)")
            for volume in inventory.volumes {
                #expect(volume.server == Self.nodes[0], "the export names the first configured node, whoever answered")
                #expect(volume.servers == Self.nodes)
                #expect(volume.nodes == ["127.0.0.11", "127.0.0.12", "127.0.0.13"])
                #expect(volume.exportLocation == "127.0.0.11:/\(volume.name)")
                #expect(volume.backupVolfileServers == ["127.0.0.12", "127.0.0.13"])
                #expect(volume.mountOptions == "backup-volfile-servers=127.0.0.12:127.0.0.13")
            }
        }
    }

    @Test func threeReadsOfOneClusterStillListEachVolumeOnce() throws {
        let volumes = try VolumeInfo.parse(try Self.recorded("volume-info-all"))
        let reads = Self.nodes.map { ClusterRead(servers: [$0], answered: $0, volumes: volumes) }
        let inventory = PoolInventory.assemble(config: try Self.config(), clusters: reads)
        #expect(inventory.volumes.count == 3)
    }

    @Test func aOneNodeVolumeHasNoBackupVolfileServers() throws {
        let lab = try PoolInventoryTests.inventory(try PoolInventoryTests.config())
        #expect(lab.volumes.allSatisfy { $0.backupVolfileServers.isEmpty && $0.mountOptions == nil && $0.nodes == ["127.0.0.2"] })
    }

    // MARK: Failover

    /// A node runner with a scripted answer, counting its calls.
    final class ScriptedNode: GlusterCommandRunner, @unchecked Sendable {  // calls counted under a lock
        let answer: @Sendable () throws -> GlusterCommandOutput
        private let lock = NSLock()
        private var count = 0
        var calls: Int { lock.withLock { count } }

        init(_ answer: @escaping @Sendable () throws -> GlusterCommandOutput) { self.answer = answer }

        func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
            lock.withLock { count += 1 }
            return try answer()
        }
    }

    static let ok = GlusterCommandOutput(exitStatus: 0, standardOutput: Data("<cliOutput><opRet>0</opRet></cliOutput>".utf8), standardError: "")

    func failover(_ runners: [ScriptedNode]) -> FailoverGlusterRunner {
        FailoverGlusterRunner(nodes: zip(Self.nodes, runners).map { .init(server: $0, runner: $1) }, logger: ShareDriver.noLogging)
    }

    @Test func aNodeWhoseSSHCannotConnectIsPassedOver() async throws {
        let down = ScriptedNode { throw SSHError(.connectFailed, host: "root@127.0.0.11:22", step: .connect, message: "refused") }
        let up = ScriptedNode { Self.ok }
        let output = try await failover([down, up]).run(["volume", "set", "v", "k", "v"])
        #expect(output.exitStatus == 0)
        #expect(down.calls == 1 && up.calls == 1)
    }

    @Test func aNodeWhoseGlusterdDoesNotAnswerIsPassedOver() async throws {
        let down = ScriptedNode {
            GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Connection failed. Please check if gluster daemon is operational.\n".utf8), standardError: "")
        }
        let up = ScriptedNode { Self.ok }
        #expect(try await failover([down, up]).run(["volume", "info", "all"]).exitStatus == 0)
        #expect(up.calls == 1)
    }

    @Test func aCommandTheNodeTookIsNeverRepeatedElsewhereEvenWhenItTimedOut() async throws {
        let hung = ScriptedNode {
            throw GlusterDriverError(.runnerFailed, command: ["volume", "set"], message: "gluster did not finish within 20 s; it was stopped")
        }
        let next = ScriptedNode { Self.ok }
        await #expect(throws: GlusterDriverError.self) { try await failover([hung, next]).run(["volume", "set", "v", "k", "v"]) }
        #expect(next.calls == 0)
        let refused = ScriptedNode { throw SSHError(.commandFailed, host: "root@127.0.0.11:22", step: .exec, message: "channel closed") }
        await #expect(throws: SSHError.self) { try await failover([refused, next]).run(["volume", "set", "v", "k", "v"]) }
        #expect(next.calls == 0)
    }

    @Test func whenEveryNodeIsDownTheLastAnswerIsReturnedAsItIs() async throws {
        let unreachable = GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Connection failed. Please check if gluster daemon is operational.\n".utf8), standardError: "")
        let nodes = [ScriptedNode { unreachable }, ScriptedNode { unreachable }, ScriptedNode { unreachable }]
        let output = try await failover(nodes).run(["volume", "info", "all"])
        #expect(output.exitStatus == 1)
        #expect(nodes.allSatisfy { $0.calls == 1 })
    }
}

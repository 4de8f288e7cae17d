//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// Share sizes on the 3-node replica pool, with one node down (issue 14): the quota is set
/// cluster-wide, usage is read, a resize succeeds naming the node that catches up, the
/// doctor's quota fix works, and the node that was away has the new size when it rejoins.
extension ClusterSuites {
@Suite("Share sizes on the 3-node cluster, one node down", .serialized)
struct ClusterShareSizeTests {
    typealias Cluster = ClusterDescription
    typealias Manager = ClusterPoolTests.Manager

    static func gluster(_ cluster: Cluster, node: Int, _ arguments: String...) async throws -> ProcessResult {
        try await runProcess(cluster.script, ["gluster", String(node)] + arguments, environment: cluster.scriptEnvironment)
    }

    /// The hard limit on `/` as node `node` lists it, asked again (a second apart, for up to
    /// `patience`) while glusterd gives no figures: while quotad restarts, and for up to half a
    /// minute after a node was killed (seen in CI on the 2-core machine).
    static func limit(_ cluster: Cluster, node: Int, _ volume: String, patience: Duration = .seconds(10)) async throws -> Int64? {
        let deadline = ContinuousClock.now + patience
        while true {
            let list = try await gluster(cluster, node: node, "--xml", "volume", "quota", volume, "list")
            if let start = list.stdout.range(of: "<hard_limit>"), let end = list.stdout.range(of: "</hard_limit>") {
                return Int64(list.stdout[start.upperBound..<end.lowerBound])
            }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .seconds(1))
        }
    }

    // Usually under a minute; 223 s seen in CI (the cluster made ready first, quota figures
    // waited for after the kill, node 3's rejoin): room to spare.
    @Test(.timeLimit(.minutes(9)))
    func withANodeDownASizedShareIsReadResizedAndRepairedAndTheNodeCatchesUp() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let manager = try Manager(cluster, extra: ["share_size_unit = \"MiB\""])
        ClusterLockTests.freeAll(cluster)
        var down: [Int] = []
        var volume: String?
        defer {
            for node in down { _ = try? runProcessBlocking(cluster.script, ["start-node", String(node)], environment: cluster.scriptEnvironment) }
            if let volume {
                _ = try? runProcessBlocking(cluster.script, ["gluster", "1", "volume", "quota", volume, "disable"], environment: cluster.scriptEnvironment)
            }
            ClusterLockTests.freeAll(cluster)
        }
        let mib: Int64 = 1 << 20
        let create = try await manager.gshare("share", "create", "--name", "sized-cluster", "--size", "16", "--json")
        #expect(create.status == 0, "\(create.stdout) \(create.stderr)")
        let name = try #require(try ClusterPoolTests.json(create)["volume"] as? String)
        volume = name
        #expect(try await Self.limit(cluster, node: 2, name) == 16 * mib)
        // Past its volume (1 GiB): refused, naming the free volume that would hold it.
        let larger = try #require(cluster.pool.first { $0.name.hasSuffix("-2G") }?.name)
        let tooLarge = try await manager.gshare("share", "resize", "sized-cluster", "2048")
        #expect(tooLarge.status == 1 && tooLarge.stderr.contains("the free volume") && tooLarge.stderr.contains(larger), "\(tooLarge.stderr)")

        // Node 3 down: usage is still read, the resize succeeds and names the node.
        #expect(try await runProcess(cluster.script, ["kill-node", "3"], environment: cluster.scriptEnvironment).status == 0)
        down.append(3)
        let third = cluster.nodes[2].address
        // The pool settles: node 1 gives quota figures again after the node left.
        #expect(try await Self.limit(cluster, node: 1, name, patience: .seconds(90)) == 16 * mib, "no quota figures 90 s after node 3 left")
        let show = try ClusterPoolTests.json(try await manager.gshare("share", "show", "sized-cluster", "--json"))
        let usage = try #require(show["usage"] as? [String: Any], "\(show)")
        #expect(usage["source"] as? String == "quota" && usage["sizeBytes"] as? Int == 16 << 20 && usage["usedBytes"] != nil, "\(usage)")
        let resize = try await manager.gshare("share", "resize", "sized-cluster", "48", "--json")
        #expect(resize.status == 0, "\(resize.stdout) \(resize.stderr)")
        let warnings = (try ClusterPoolTests.json(resize)["warnings"] as? [String]) ?? []
        #expect(warnings.contains { $0.contains(third) }, "the node that catches up is named: \(warnings)")
        #expect(try await Self.limit(cluster, node: 1, name) == 48 * mib)
        let shrink = try await manager.gshare("share", "resize", "sized-cluster", "24")
        #expect(shrink.status == 0, "\(shrink.stdout) \(shrink.stderr)")
        let pool = try ClusterPoolTests.json(try await manager.gshare("pool", "list", "--usage", "--json"))
        let row = (pool["volumes"] as? [[String: Any]] ?? []).first { $0["volume"] as? String == name }
        #expect((row?["usage"] as? [String: Any])?["sizeBytes"] as? Int == 24 << 20, "\(String(describing: row))")

        // The limit removed by hand while the node is away: found and put back.
        #expect(try await Self.gluster(cluster, node: 1, "volume", "quota", name, "remove", "/").status == 0)
        let doctor = try ClusterPoolTests.json(try await manager.gshare("doctor", "--json"))
        let codes = (doctor["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("quota-missing"), "\(codes)")
        let fixed = try await manager.gshare("doctor", "--fix")
        #expect(fixed.stdout.contains("set the quota of share"), "\(fixed.stdout) \(fixed.stderr)")
        #expect(try await Self.limit(cluster, node: 2, name) == 24 * mib)

        // Node 3 back: it has the size and the limit the others have.
        var start = try await runProcess(cluster.script, ["start-node", "3"], environment: cluster.scriptEnvironment)
        if start.status != 0 {
            // GlusterFS 10.3 now and then leaves a rejoining glusterd stuck: once more, from scratch.
            _ = try await runProcess(cluster.script, ["kill-node", "3"], environment: cluster.scriptEnvironment)
            start = try await runProcess(cluster.script, ["start-node", "3"], environment: cluster.scriptEnvironment)
        }
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        if start.status == 0 { down.removeAll { $0 == 3 } }
        var caughtUp = false
        for _ in 0..<30 where !caughtUp {
            let size = try await Self.gluster(cluster, node: 3, "volume", "get", name, "user.gshare.size")
            caughtUp = size.stdout.contains("24")
            if !caughtUp { try await Task.sleep(for: .seconds(1)) }
        }
        #expect(caughtUp, "node 3 has the size mark the others have")
        #expect(try await Self.limit(cluster, node: 3, name) == 24 * mib)

        // Delete: quota off everywhere.
        let delete = try await manager.gshare("share", "delete", "sized-cluster")
        #expect(delete.status == 0, "\(delete.stdout) \(delete.stderr)")
        let quota = try await Self.gluster(cluster, node: 3, "volume", "get", name, "features.quota")
        #expect(quota.stdout.contains("off"), "\(quota.stdout)")
    }
}
}

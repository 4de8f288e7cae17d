//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// `gshare serve` on the SSH-administered 3-node cluster, from two manager hosts at once, and
/// the lock workers it keeps connected between changes (``GlusterArmedLock``): they take the
/// same cluster locks a started worker would, so two servers (and the CLI) still exclude one
/// another.
extension ClusterSuites {
@Suite("gshare serve on the cluster: two servers, lock workers kept ready", .serialized)
struct ClusterServeTests {
    typealias Cluster = ClusterDescription
    typealias Manager = ClusterPoolTests.Manager

    /// A worker connected before it knows its keys takes them as a started one does: while it
    /// holds a key, another client's try names it as the holder; released, the key is free.
    /// It takes one order only, and one left idle past its limit takes none (nothing locked).
    @Test(.timeLimit(.minutes(2)))
    func aLockWorkerConnectedAheadLocksLikeAStartedOneOnceAndNotPastItsIdleLimit() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let client = try DriverLab.client()
        let volume = try ClusterLockTests.lockVolume(cluster)
        let key = "ready-test-\(UInt32.random(in: 0...UInt32.max))"

        let armed = try await client.armLock(volume, idleLimit: .seconds(60), waitLimit: .seconds(10), holdLimit: .seconds(60))
        #expect(armed.isUsable)
        let hold = try await armed.take(keys: [key], holder: "ops@ready pid 77: gshare serve", wait: .seconds(5))
        #expect(hold.isHeld && hold.keys == [key])
        await #expect(throws: GlusterFSError.self, "a second order to the same worker is refused") {
            try await armed.take(keys: [key + "-other"], holder: "again", wait: .zero)
        }
        do {
            let other = try await client.holdLocks(volume, keys: [key], holder: "the test", wait: .zero, holdLimit: .seconds(10))
            await other.release()
            Issue.record("another client took \(key) while the ready worker held it")
        } catch let error as GlusterFSError {
            #expect(error.code == .lockBusy && error.message.contains("ops@ready pid 77: gshare serve"), "\(error)")
        }
        await hold.release()
        let free = try await client.holdLocks(volume, keys: [key], holder: "the test", wait: .seconds(5), holdLimit: .seconds(10))
        await free.release()

        let idle = try await client.armLock(volume, idleLimit: .seconds(2), waitLimit: .seconds(5), holdLimit: .seconds(10))
        try await Task.sleep(for: .seconds(2))
        #expect(!idle.isUsable)
        do {
            let stale = try await idle.take(keys: [key], holder: "stale", wait: .zero)
            await stale.release()
            Issue.record("a worker past its idle limit took \(key)")
        } catch let error as GlusterFSError {
            #expect(error.code == .workerFailed, "\(error)")
        }
        let stillFree = try await client.holdLocks(volume, keys: [key], holder: "the test", wait: .zero, holdLimit: .seconds(10))
        await stillFree.release()
    }

    /// `deny_access` of `rule` when there is one.
    static func deny(_ rule: String?, on share: String, through api: ServeConnection) async throws -> ServeConnection.Answer? {
        guard let rule else { return nil }
        return try await api.deny(share, rule: rule)
    }

    /// Two `gshare serve` on two manager hosts (state folders of their own, the servers in
    /// other orders), each keeping lock workers ready, change one share at the same moment,
    /// round after round: one allows a CN, the other denies another; the last two rounds with
    /// node 3 down. No update may be lost: after every round the volume's real auth.ssl-allow
    /// holds exactly the expected CNs. With node 2 down as well (server quorum lost) both
    /// answer 503 naming the quorum, and nothing of those changes is applied anywhere once
    /// the nodes are back; both servers then show the same rules, all active.
    @Test(.timeLimit(.minutes(12)))
    func twoServersChangingOneShareAtTheSameMomentLoseNoUpdate() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let (hostA, hostB) = try ClusterLockTests.twoHosts(cluster)
        ClusterLockTests.freeAll(cluster)
        defer { ClusterLockTests.freeAll(cluster) }
        let tenants = ["tenant-a", "tenant-b", "tenant-c"]
        for host in [hostA, hostB] {
            let onboard = try await runProcess(
                EndToEndTests.binary, ["tenant", "onboard"] + (try tenants.map { try cluster.identity(named: $0).cert }) + ["--config", host.config])
            try #require(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        }
        let serverA = try startProcess(EndToEndTests.binary, ["serve", "--listen", "127.0.0.1:0", "--config", hostA.config])
        defer { GShareServe.stopBlocking(serverA) }
        let serverB = try startProcess(EndToEndTests.binary, ["serve", "--listen", "127.0.0.1:0", "--config", hostB.config])
        defer { GShareServe.stopBlocking(serverB) }
        let project = GShareServe.newProject()
        let apiA = ServeConnection(port: try await GShareServe.port(of: serverA), project: project)
        let apiB = ServeConnection(port: try await GShareServe.port(of: serverB), project: project)
        try await apiA.open()
        try await apiB.open()

        let share = try await apiA.createShare(name: "two-servers")
        try await apiA.waitForStatus(share, "available")
        try await apiB.waitForStatus(share, "available")
        let exports = try await apiA.get("shares/\(share)/export_locations")
        let export = try #require((exports.json["export_locations"] as? [[String: Any]])?.first?["path"] as? String, "\(exports)")
        let volume = String(try #require(export.split(separator: "/").last, "\(export)"))
        var down: [Int] = []
        defer {
            for node in down { _ = try? runProcessBlocking(cluster.script, ["start-node", String(node)], environment: cluster.scriptEnvironment) }
            _ = try? runProcessBlocking(
                cluster.script, ["gluster", "1", "volume", "reset", volume, "cluster.server-quorum-type"], environment: cluster.scriptEnvironment)
        }
        var granted: Set<String> = []
        var ruleIDs: [String: String] = [:]
        // Each round: A allows a CN that is out, B denies one that is in (if any), at once.
        let rounds: [(allow: String, deny: String?)] = [
            ("tenant-a", nil), ("tenant-b", "tenant-a"), ("tenant-c", "tenant-b"), ("tenant-a", "tenant-c"), ("tenant-b", "tenant-a"),
            ("tenant-c", "tenant-b"),
        ]
        for (index, round) in rounds.enumerated() {
            if index == 4 {
                #expect(try await runProcess(cluster.script, ["kill-node", "3"], environment: cluster.scriptEnvironment).status == 0)
                down.append(3)
            }
            // A rule's id is the same on every host (made from the share and the CN).
            let ruleOfDenied = round.deny.flatMap { ruleIDs[$0] }
            #expect((ruleOfDenied == nil) == (round.deny == nil), "round \(index): no rule id known for \(round.deny ?? "")")
            async let allowed = apiA.allow(share, round.allow)
            async let denied = Self.deny(ruleOfDenied, on: share, through: apiB)
            let (allow, deny) = try await (allowed, denied)
            #expect(allow.status == 200 && allow["access"]?["state"] as? String == "active", "round \(index): \(allow)")
            ruleIDs[round.allow] = allow["access"]?["id"] as? String
            if let deny { #expect(deny.status == 202, "round \(index): \(deny)") }
            granted.insert(round.allow)
            if let cn = round.deny { granted.remove(cn) }

            let real = try await ClusterLockTests.accessNames(hostA, share)
            #expect(real.intersection(tenants) == granted, "round \(index): auth.ssl-allow holds \(real.sorted()), expected \(granted.sorted())")
        }
        // Two of three down, the volume asking for server quorum: refused by both, 503.
        let quorum = try await runProcess(
            cluster.script, ["gluster", "1", "volume", "set", volume, "cluster.server-quorum-type", "server"], environment: cluster.scriptEnvironment)
        #expect(quorum.status == 0, "\(quorum.stdout) \(quorum.stderr)")
        #expect(try await runProcess(cluster.script, ["kill-node", "2"], environment: cluster.scriptEnvironment).status == 0)
        down.append(2)
        let refusedCN = try #require(tenants.first { !granted.contains($0) })
        let deniedCN = try #require(granted.first)
        async let refusedAllow = apiA.allow(share, refusedCN)
        async let refusedDeny = Self.deny(ruleIDs[deniedCN], on: share, through: apiB)
        let (allow503, deny503) = try await (refusedAllow, refusedDeny)
        for answer in [allow503, deny503] {
            let text: String = answer?.text ?? ""
            #expect(answer?.status == 503 && text.contains("quorum"), "\(String(describing: answer))")
        }
        for node in [2, 3] {
            var start = try await runProcess(cluster.script, ["start-node", String(node)], environment: cluster.scriptEnvironment)
            if start.status != 0 {
                // GlusterFS 10.3 now and then leaves a rejoining glusterd stuck: once more, from scratch.
                _ = try await runProcess(cluster.script, ["kill-node", String(node)], environment: cluster.scriptEnvironment)
                start = try await runProcess(cluster.script, ["start-node", String(node)], environment: cluster.scriptEnvironment)
            }
            #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
            if start.status == 0 { down.removeAll { $0 == node } }
        }
        for node in cluster.nodes {
            let info = try await runProcess(
                cluster.script, ["gluster", String(node.index), "volume", "get", volume, "auth.ssl-allow"], environment: cluster.scriptEnvironment)
            let output: String = info.stdout
            let listed = Set(tenants.filter { (cn: String) -> Bool in output.contains(cn) })
            #expect(listed == granted, "node \(node.index): \(info.stdout), expected \(granted.sorted())")
        }

        // Each server's view of the pool is at most 5 s old: both show the same rules soon.
        for api in [apiA, apiB] {
            var list: [[String: Any]] = []
            for _ in 0..<40 {
                let rules = try await api.get("share-access-rules?share_id=\(share)")
                list = rules.json["access_list"] as? [[String: Any]] ?? []
                if Set(list.compactMap { $0["access_to"] as? String }) == granted { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(Set(list.compactMap { $0["access_to"] as? String }) == granted, "\(list)")
            #expect(list.allSatisfy { $0["state"] as? String == "active" }, "\(list)")
        }
        let deleted = try await apiB.delete("shares/\(share)")
        #expect(deleted.status == 202, "\(deleted)")
        _ = try await apiB.waitForShare(share) { $0.status == 404 }
        await apiA.close()
        await apiB.close()
        serverA.kill(SIGTERM)
        serverB.kill(SIGTERM)
        let (endA, endB) = (try await serverA.finish(), try await serverB.finish())
        #expect(endA.status == 0 && endB.status == 0, "\(endA.stderr) \(endB.stderr)")
    }
}
}

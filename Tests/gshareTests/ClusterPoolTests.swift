//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// gshare on the 3-node cluster lab, through the binary and over SSH: the three servers are
/// one trusted pool, each replica-3 volume is listed once with its nodes and the backup
/// volfile servers a client needs, a pool-wide read asks one node once the pool is known,
/// and commands go through the next node when the first one's glusterd is down.
/// Serialized: one test kills node 1 (and starts it again).
extension ClusterSuites {
@Suite("gshare on a 3-node cluster: one pool, many doors", .serialized)
struct ClusterPoolTests {
    typealias Cluster = ClusterDescription

    /// A copy of the cluster's gshare.toml with a state folder of its own (so what this
    /// suite learns or locks starts empty), and the trace file of the gluster calls.
    struct Manager {
        let config: String
        let stateDirectory: String
        let trace: String

        /// - Parameters:
        ///   - servers: `glusterfs_servers` in another order (another host's configuration).
        ///   - extra: more `key = value` lines.
        init(_ cluster: Cluster, systemCNs: [String]? = nil, commandTimeoutSeconds: Int? = nil, servers: [String]? = nil, extra: [String] = []) throws {
            let folder = try makeTemporaryDirectory()
            let state = folder.appendingPathComponent("state").path
            stateDirectory = state
            trace = folder.appendingPathComponent("trace.jsonl").path
            var text = try String(contentsOfFile: cluster.config, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                if line.hasPrefix("state_dir") { return "state_dir = \"\(state)\"" }
                if line.hasPrefix("system_cns"), let systemCNs { return "system_cns = [\(systemCNs.map { "\"\($0)\"" }.joined(separator: ", "))]" }
                if line.hasPrefix("glusterfs_servers"), let servers { return "glusterfs_servers = [\(servers.map { "\"\($0)\"" }.joined(separator: ", "))]" }
                return String(line)
            }
            text = lines.joined(separator: "\n")
            if let commandTimeoutSeconds { text += "\ncommand_timeout_seconds = \(commandTimeoutSeconds)\n" }
            for line in extra { text += "\n\(line)\n" }
            config = folder.appendingPathComponent("gshare.toml").path
            try text.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func gshare(_ arguments: String...) async throws -> ProcessResult {
            try await runProcess(EndToEndTests.binary, arguments + ["--config", config], environment: ["GSHARE_GLUSTER_TRACE": trace])
        }

        /// The gluster calls traced since the last call, with the server each ran on.
        func takeCalls() throws -> [(server: String, arguments: [String])] {
            guard let data = FileManager.default.contents(atPath: trace) else { return [] }
            try FileManager.default.removeItem(atPath: trace)
            return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return (object["server"] as? String ?? "", object["arguments"] as? [String] ?? [])
            }
        }
    }

    /// gshare's `--json` output as an object; a failure names the exit status and both outputs.
    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object (exit \(result.status)): \(result.stdout) \(result.stderr)")
    }

    /// The share marks back to free on `volume`, by hand (inside node 1): the wipe does not
    /// reach a management-TLS cluster yet, so a share made here cannot be deleted by gshare.
    static func freeByHand(_ cluster: Cluster, _ volume: String) throws {
        let marks = ["share", "name", "created", "state", "granted", "deleted"].flatMap { ["user.gshare.\($0)", "NONE"] }
        let result = try runProcessBlocking(
            cluster.script, ["gluster", "1", "volume", "set", volume] + marks + ["auth.ssl-allow", cluster.systemCNs.joined(separator: ",")],
            environment: cluster.scriptEnvironment)
        if result.status != 0 { Issue.record("could not free \(volume) by hand: \(result.stdout) \(result.stderr)") }
    }

    @Test(.timeLimit(.minutes(2)))
    func eachReplicatedVolumeIsListedOnceWithItsNodesAndBackupVolfileServers() async throws {
        let cluster = try Cluster.load()
        let manager = try Manager(cluster)
        let list = try await manager.gshare("pool", "list", "--json")
        #expect(list.status == 0, "\(list.stdout) \(list.stderr)")
        let volumes = try #require(try Self.json(list)["volumes"] as? [[String: Any]])
        #expect(volumes.compactMap { $0["volume"] as? String } == cluster.pool.map(\.name), "every volume once: \(volumes)")
        let addresses = cluster.nodes.map(\.address)
        for volume in volumes {
            let name = volume["volume"] as? String ?? "?"
            #expect(volume["nodes"] as? [String] == addresses, "\(name)")
            #expect(volume["exportLocation"] as? String == "\(addresses[0]):/\(name)")
            #expect(volume["backupVolfileServers"] as? [String] == Array(addresses.dropFirst()), "\(name)")
        }
        let text = try await manager.gshare("pool", "list")
        #expect(text.stdout.contains("NODES") && text.stdout.contains(addresses.joined(separator: ",")), "\(text.stdout)")
        #expect(text.stdout.contains("\(cluster.pool.count) volumes"), "\(text.stdout)")
    }

    @Test(.timeLimit(.minutes(2)))
    func onceThePoolIsKnownAPoolWideReadAsksOneNode() async throws {
        let cluster = try Cluster.load()
        let manager = try Manager(cluster)
        #expect(try await manager.gshare("pool", "list").status == 0)
        let first = try manager.takeCalls()
        #expect(first.contains { $0.arguments == ["pool", "list"] }, "the first read learns the pool: \(first.map(\.arguments))")
        #expect(FileManager.default.fileExists(atPath: "\(manager.stateDirectory)/clusters.json"))

        #expect(try await manager.gshare("pool", "list").status == 0)
        let second = try manager.takeCalls()
        #expect(second.count == 1, "\(second.map { "\($0.server) \($0.arguments)" })")
        #expect(second.first?.arguments == ["volume", "info", "all"])
        #expect(second.first?.server == cluster.servers[0])
    }

    @Test(.timeLimit(.minutes(6)))
    func withNode1sGlusterdKilledCommandsGoThroughNode2AndTheClusterHealsWhenItReturns() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let manager = try Manager(cluster)
        #expect(try await manager.gshare("pool", "list").status == 0)  // the pool is known
        _ = try manager.takeCalls()
        let volume = cluster.pool[0].name
        var restarted = false
        var created = false
        defer {
            if !restarted { _ = try? runProcessBlocking(cluster.script, ["start-node", "1"], environment: cluster.scriptEnvironment) }
            if created { try? Self.freeByHand(cluster, volume) }
        }
        let kill = try await runProcess(cluster.script, ["kill-node", "1"], environment: cluster.scriptEnvironment)
        #expect(kill.status == 0, "\(kill.stdout) \(kill.stderr)")

        let list = try await manager.gshare("pool", "list", "--json")
        #expect(list.status == 0, "\(list.stdout) \(list.stderr)")
        let document = try Self.json(list)
        #expect((document["volumes"] as? [[String: Any]])?.count == cluster.pool.count)
        let passedOver = document["passedOver"] as? [String] ?? []
        #expect(passedOver.count == 1 && passedOver[0].hasPrefix(cluster.servers[0]), "\(passedOver)")
        let calls = try manager.takeCalls()
        #expect(calls.map(\.server) == [cluster.servers[0], cluster.servers[1]], "\(calls.map { "\($0.server) \($0.arguments)" })")

        // a change goes through node 2 and holds on the two live nodes
        let create = try await manager.gshare("share", "create", "--name", "failover", "--json")
        created = create.status == 0
        #expect(create.status == 0, "\(create.stdout) \(create.stderr)")
        let share = try Self.json(create)
        #expect(share["volume"] as? String == volume)
        #expect(share["backupVolfileServers"] as? [String] == cluster.nodes.dropFirst().map(\.address))
        let writes = try manager.takeCalls().filter { $0.arguments.starts(with: ["volume", "set"]) }
        #expect(writes.map(\.server) == [cluster.servers[0], cluster.servers[1]], "the set ran once, on node 2: \(writes.map(\.server))")
        // an allow with node 1 away succeeds, and says node 1 catches up when it rejoins
        let onboard = try await manager.gshare("tenant", "onboard", try cluster.identity(named: "tenant-a").cert)
        #expect(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        let allow = try await manager.gshare("access", "allow", "failover", "tenant-a")
        #expect(allow.status == 0, "\(allow.stdout) \(allow.stderr)")
        #expect(allow.stdout.contains("node \(cluster.nodes[0].address) of") && allow.stdout.contains("rejoins"), "\(allow.stdout)")
        let onNode2 = try await runProcess(cluster.script, ["gluster", "2", "volume", "info", volume], environment: cluster.scriptEnvironment)
        #expect(onNode2.stdout.contains("user.gshare.name: failover"), "\(onNode2.stdout)")

        let start = try await runProcess(cluster.script, ["start-node", "1"], environment: cluster.scriptEnvironment)
        restarted = start.status == 0
        #expect(start.status == 0, "the cluster heals: \(start.stdout) \(start.stderr)")
        let onNode1 = try await runProcess(cluster.script, ["gluster", "1", "volume", "info", volume], environment: cluster.scriptEnvironment)
        #expect(onNode1.stdout.contains("user.gshare.name: failover"), "node 1 caught up: \(onNode1.stdout)")
        #expect(onNode1.stdout.contains("gshare-manager,tenant-a"), "node 1 caught up with the grant: \(onNode1.stdout)")
        let show = try await manager.gshare("share", "show", "failover")
        #expect(show.status == 0 && show.stdout.contains("backup-volfile-servers=\(cluster.nodes.dropFirst().map(\.address).joined(separator: ":"))"), "\(show.stdout)")
    }

    /// `volume` through every node, as the cluster identity `name`, management TLS included.
    static func connection(_ cluster: Cluster, _ volume: String, as name: String) throws -> GlusterConnection {
        let identity = try cluster.identity(named: name)
        let tls = GlusterTLSIdentity(certificateChain: identity.cert, privateKey: identity.key, certificateAuthorities: identity.ca)
        return GlusterConnection(
            address: GlusterVolumeAddress(host: cluster.nodes[0].address, volume: volume), identity: tls,
            backupVolfileServers: cluster.nodes.dropFirst().map(\.address), managementIdentity: cluster.managementTLS ? tls : nil)
    }

    /// `gshare access test` on `volume` as `name`, the way a share's export says to reach it.
    static func accessTest(_ cluster: Cluster, _ volume: String, as name: String) async throws -> ProcessResult {
        let identity = try cluster.identity(named: name)
        return try await runProcess(
            EndToEndTests.binary,
            ["access", "test", "\(cluster.nodes[0].address):/\(volume)", "--backup-volfile-servers", cluster.nodes.dropFirst().map(\.address).joined(separator: ":"),
             "--management-tls", "--cert", identity.cert, "--key", identity.key, "--ca", identity.ca, "--timeout", "20"])
    }

    @Test(.timeLimit(.minutes(4)))
    func theWholeLifeCycleOverSSHWithManagementTLSLeavesNothingForTheNextTenant() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        #expect(cluster.managementTLS)
        let manager = try Manager(cluster)
        let client = try DriverLab.client()
        var volume: String?
        defer { if let volume { try? Self.freeByHand(cluster, volume) } }
        for tenant in ["tenant-a", "tenant-b"] {
            let onboard = try await manager.gshare("tenant", "onboard", try cluster.identity(named: tenant).cert)
            #expect(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        }
        let create = try await manager.gshare("share", "create", "--name", "life", "--json")
        #expect(create.status == 0, "\(create.stdout) \(create.stderr)")
        let name = try #require(try Self.json(create)["volume"] as? String)
        volume = name

        #expect(try await manager.gshare("access", "allow", "life", "tenant-a").status == 0)
        let allowed = try await Self.accessTest(cluster, name, as: "tenant-a")
        #expect(allowed.status == 0 && allowed.stdout.contains("ALLOWED"), "\(allowed.stdout) \(allowed.stderr)")
        let other = try await Self.accessTest(cluster, name, as: "tenant-b")
        #expect(other.status == 1 && other.stdout.contains("not in the volume's auth.ssl-allow"), "\(other.stdout) \(other.stderr)")

        _ = try await client.fill(try Self.connection(cluster, name, as: "tenant-a"), files: 60, directories: 6, under: "/tenant-data")
        #expect(try await manager.gshare("access", "deny", "life", "tenant-a").status == 0)
        let denied = try await Self.accessTest(cluster, name, as: "tenant-a")
        #expect(denied.status == 1, "\(denied.stdout) \(denied.stderr)")

        let delete = try await manager.gshare("share", "delete", "life")
        #expect(delete.status == 0, "\(delete.stdout) \(delete.stderr)")
        #expect(delete.stdout.contains("wiped (60 files, "), "\(delete.stdout)")

        // The next tenant on that volume finds nothing of tenant-a's.
        let next = try await manager.gshare("share", "create", "--name", "next", "--json")
        #expect(next.status == 0, "\(next.stdout) \(next.stderr)")
        #expect(try Self.json(next)["volume"] as? String == name, "the smallest free volume is the wiped one again")
        #expect(try await manager.gshare("access", "allow", "next", "tenant-b").status == 0)
        let seen = try await client.walk(try Self.connection(cluster, name, as: "tenant-b"), limit: 100_000).entries.map(\.path)
        #expect(seen.allSatisfy { $0.hasPrefix("/.trashcan") }, "left behind: \(seen.filter { !$0.hasPrefix("/.trashcan") }.prefix(5))")
        let last = try await manager.gshare("share", "delete", "next")
        #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
        if last.status == 0 { volume = nil }
    }

    /// The management-TLS namespace needs no root: as an unprivileged user (nobody), gshare's
    /// worker enters a user namespace instead, and the tenant gets in.
    @Test(.timeLimit(.minutes(1)))
    func anUnprivilegedUserReachesAManagementTLSClusterThroughAUserNamespace() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let identity = try cluster.identity(named: "gshare-manager")
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        var files: [String] = []
        for (source, name) in [(identity.cert, "glusterfs.pem"), (identity.key, "glusterfs.key"), (identity.ca, "glusterfs.ca")] {
            let path = folder.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: source, toPath: path)
            try FileManager.default.setAttributes([.ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: path)
            files.append(path)
        }
        let result = try await runProcess(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", EndToEndTests.binary, "access", "test", "\(cluster.nodes[0].address):/\(cluster.pool[0].name)",
             "--management-tls", "--cert", files[0], "--key", files[1], "--ca", files[2], "--timeout", "20"],
            in: folder, environment: ["HOME": folder.path])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("ALLOWED"), "\(result.stdout)")
    }

    /// gshare learns each node's CN from the node (a TLS handshake with its glusterd) and the
    /// doctor compares them with system_cns: a node left out is critical, a name nobody holds
    /// a warning; with the lab's own system_cns, neither.
    @Test(.timeLimit(.minutes(2)))
    func theDoctorComparesTheCNsTheNodesPresentWithSystemCNs() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        func nodeFindings(_ manager: Manager) async throws -> [[String: Any]] {
            let doctor = try await manager.gshare("doctor", "--json")
            let findings = try #require(try Self.json(doctor)["findings"] as? [[String: Any]], "\(doctor.stdout) \(doctor.stderr)")
            return findings.filter { ["node-cn-not-system", "system-cn-unheld", "node-cn-unknown"].contains($0["code"] as? String ?? "") }
        }
        #expect(try await nodeFindings(try Manager(cluster)).isEmpty)

        let wrong = try Manager(cluster, systemCNs: ["gluster-node-1", "gluster-node-2", "gluster-node-9", "gshare-manager"])
        let found = try await nodeFindings(wrong)
        let missing = found.filter { $0["code"] as? String == "node-cn-not-system" }
        #expect(missing.count == 1, "\(found)")
        #expect((missing.first?["message"] as? String)?.contains("gluster-node-3") == true && missing.first?["severity"] as? String == "critical", "\(missing)")
        let unheld = found.filter { $0["code"] as? String == "system-cn-unheld" }
        #expect(unheld.count == 1 && (unheld.first?["message"] as? String)?.contains("gluster-node-9") == true, "\(unheld)")
    }

    /// A node that hangs while a change is in flight: gshare neither says "done" nor
    /// "failed", but that the outcome is unknown (exit 3), naming the command that tells;
    /// GlusterFS applies the change when the node resumes (measured: the lock clears within
    /// a second of SIGCONT), and the same command run again converges.
    @Test(.timeLimit(.minutes(3)))
    func aChangeWhileANodeHangsIsReportedAsUnknownAndTheSameCommandConverges() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let manager = try Manager(cluster, commandTimeoutSeconds: 8)
        var resumed = true
        var shareMade = false
        defer {
            if !resumed { _ = try? runProcessBlocking(cluster.script, ["resume-node", "2"], environment: cluster.scriptEnvironment) }
            if shareMade { _ = try? runProcessBlocking(EndToEndTests.binary, ["share", "delete", "hung", "--config", manager.config]) }
        }
        #expect(try await manager.gshare("tenant", "onboard", try cluster.identity(named: "tenant-a").cert).status == 0)
        let create = try await manager.gshare("share", "create", "--name", "hung")
        shareMade = create.status == 0
        #expect(create.status == 0, "\(create.stdout) \(create.stderr)")

        resumed = false
        #expect(try await runProcess(cluster.script, ["hang-node", "2"], environment: cluster.scriptEnvironment).status == 0)
        let during = try await manager.gshare("access", "allow", "hung", "tenant-a")
        #expect(during.status == 3, "\(during.stdout) \(during.stderr)")
        #expect(during.stderr.contains("outcome-unknown") || during.stderr.contains("did not finish"), "\(during.stderr)")
        #expect(during.stderr.contains("gshare access list"), "the command that tells: \(during.stderr)")
        resumed = try await runProcess(cluster.script, ["resume-node", "2"], environment: cluster.scriptEnvironment).status == 0
        #expect(resumed)

        // The same command converges (the change went through when the node resumed, or now).
        var again = try await manager.gshare("access", "allow", "hung", "tenant-a")
        for _ in 0..<10 where again.status != 0 {
            try await Task.sleep(for: .seconds(1))
            again = try await manager.gshare("access", "allow", "hung", "tenant-a")
        }
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        let list = try await manager.gshare("access", "list", "hung", "--json")
        #expect(list.stdout.contains("tenant-a"), "\(list.stdout)")
        let audit = try await manager.gshare("audit", "--json")
        #expect(audit.stdout.contains("\"unknown\""), "the audit records the unknown outcome: \(audit.stdout.suffix(600))")
    }
}
}

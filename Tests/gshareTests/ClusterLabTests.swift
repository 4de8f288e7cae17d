//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// The 3-node cluster lab (scripts/gluster-cluster) is what it says: three glusterd nodes in
/// one trusted pool with management TLS, each reached over its own sshd inside its own mount
/// namespace, holding the replica-3 volumes; and gshare reaches it over SSH with the
/// cluster's gshare.toml. Serialized: one test kills and restarts node 3.
/// Every suite that uses the cluster lab, one after the other: some of them kill and start
/// nodes, which the others must not see.
@Suite("The 3-node cluster (its suites one at a time)", .serialized)
enum ClusterSuites {}

extension ClusterSuites {
@Suite("The 3-node cluster lab", .serialized)
struct ClusterLabTests {
    typealias Cluster = ClusterDescription
    typealias Node = ClusterDescription.Node

    static func gshare(_ cluster: Cluster, _ arguments: String...) async throws -> ProcessResult {
        try await runProcess(EndToEndTests.binary, arguments + ["--config", cluster.config])
    }

    static func script(_ cluster: Cluster, _ arguments: String...) async throws -> ProcessResult {
        try await runProcess(cluster.script, arguments, environment: cluster.scriptEnvironment)
    }

    /// The gluster CLI inside `node` (its namespace, its unix socket), once the holder
    /// cluster.json names is checked to hold the node's namespace still.
    static func glusterInside(_ node: Node, _ arguments: String...) async throws -> ProcessResult {
        let namespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(node.holderPid)/ns/mnt")
        #expect(namespace == node.mountNamespace, "node \(node.index): its holder \(node.holderPid) is not in \(node.mountNamespace)")
        return try await runProcess("/usr/bin/nsenter", ["-t", "\(node.holderPid)", "-m", "--", "/usr/sbin/gluster", "--mode=script"] + arguments)
    }

    /// OpenSSH logging in to `node` as the cluster's user, the host key checked strictly.
    static func sshArguments(_ cluster: Cluster, _ node: Node, _ command: String...) -> [String] {
        ["-F", "/dev/null", "-i", cluster.ssh.privateKey, "-p", "\(node.sshPort)", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
         "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(cluster.ssh.knownHosts)", "-o", "GlobalKnownHostsFile=/dev/null",
         "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "\(cluster.ssh.user)@\(node.address)"] + command
    }

    /// The CLI's XML without the white space between tags, for plain substring checks.
    static func compact(_ xml: String) -> String {
        xml.replacingOccurrences(of: ">\\s+<", with: "><", options: .regularExpression)
    }

    /// Whether process `pid` exists and is not a zombie.
    static func isAlive(_ pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.range(of: ") ", options: .backwards) else { return false }
        return !stat[end.upperBound...].hasPrefix("Z")
    }

    static func option(_ name: String, _ value: String) -> String { "<option><name>\(name)</name><value>\(value)</value></option>" }

    @Test(.timeLimit(.minutes(1)))
    func itsConfigurationChecksOutWithTheThreeServersOverSSH() async throws {
        let cluster = try Cluster.load()
        #expect(cluster.servers.count == 3 && cluster.nodes.count == 3)
        let check = try await Self.gshare(cluster, "config", "check")
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("valid"), "\(check.stdout)")
        #expect(check.stdout.contains("servers gshare will ask: \(cluster.servers.joined(separator: ", "))"), "\(check.stdout)")
        let text = try String(contentsOfFile: cluster.config, encoding: .utf8)
        #expect(text.contains("glusterfs_servers = [\(cluster.servers.map { "\"\($0)\"" }.joined(separator: ", "))]"), "\(text)")
        #expect(cluster.systemCNs == ["gluster-node-1", "gluster-node-2", "gluster-node-3", "gshare-manager"])
    }

    /// gshare reaches the nodes over SSH and finds the pool (each volume once: the cluster
    /// behaviour itself is ClusterPoolTests').
    @Test(.timeLimit(.minutes(2)))
    func gsharePoolListFindsThePoolOverSSH() async throws {
        let cluster = try Cluster.load()
        let list = try await Self.gshare(cluster, "pool", "list", "--json")
        #expect(list.status == 0, "\(list.stdout) \(list.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let volumes = try #require(document["volumes"] as? [[String: Any]])
        #expect(volumes.compactMap { $0["volume"] as? String }.sorted() == cluster.pool.map(\.name).sorted(), "\(volumes)")
        #expect(volumes.allSatisfy { $0["tlsReady"] as? Bool == true && $0["status"] as? String == "Started" }, "\(volumes)")
    }

    @Test(.timeLimit(.minutes(2)))
    func everyNodeHoldsTheReplica3VolumesWithTheirTLSOptionsAndSeesBothPeers() async throws {
        let cluster = try Cluster.load()
        let allNodes = "gluster-node-1,gluster-node-2,gluster-node-3,gshare-manager"
        for node in cluster.nodes {
            let info = try await Self.glusterInside(node, "volume", "info", "all", "--xml")
            #expect(info.status == 0, "node \(node.index): \(info.stdout) \(info.stderr)")
            let xml = Self.compact(info.stdout)
            let volumes = xml.components(separatedBy: "<volume><name>").dropFirst()
            func volume(_ name: String) -> String { volumes.first { $0.hasPrefix("\(name)</name>") } ?? "" }
            for name in cluster.pool.map(\.name) + cluster.volumes.values.sorted() {
                let text = volume(name)
                #expect(!text.isEmpty, "node \(node.index) does not know \(name)")
                #expect(text.contains("<statusStr>Started</statusStr>") && text.contains("<replicaCount>3</replicaCount>"), "\(name) on node \(node.index)")
                for brickNode in cluster.nodes {
                    #expect(text.contains("<name>\(brickNode.address):\(brickNode.bricks)/\(name)</name>"), "\(name): no brick on node \(brickNode.index)")
                }
            }
            for name in cluster.pool.map(\.name) {
                let text = volume(name)
                for expected in [Self.option("server.ssl", "on"), Self.option("client.ssl", "on"), Self.option("auth.ssl-allow", allNodes)] {
                    #expect(text.contains(expected), "\(name) on node \(node.index) lacks \(expected)")
                }
            }
            let plain = volume(try cluster.volume("plain"))
            #expect(!plain.contains("<name>server.ssl</name>") && !plain.contains("<name>auth.ssl-allow</name>"), "\(plain)")
            let missing = volume(try cluster.volume("missing-node-cn"))
            #expect(missing.contains(Self.option("auth.ssl-allow", "gluster-node-1,gluster-node-2,gshare-manager")), "\(missing)")
            #expect(missing.contains(Self.option("server.ssl", "on")))

            let peers = Self.compact(try await Self.glusterInside(node, "peer", "status", "--xml").stdout)
            #expect(peers.components(separatedBy: "<connected>1</connected>").count - 1 == 2, "node \(node.index): \(peers)")
            for other in cluster.nodes where other.index != node.index {
                #expect(peers.contains("<hostname>\(other.address)</hostname>"), "node \(node.index) does not know \(other.address)")
            }
        }
    }

    /// Every login lands inside its node (where `gluster` talks to that node's glusterd), and
    /// sshd takes many logins at once (MaxStartups raised: the default drops them at random).
    @Test(.timeLimit(.minutes(2)))
    func sshSessionsLandInsideTheirNodeAndManyLoginsAtOnceAllGetIn() async throws {
        let cluster = try Cluster.load()
        for node in cluster.nodes {
            let result = try await runProcess(
                "/usr/bin/ssh", Self.sshArguments(cluster, node, "readlink /proc/self/ns/mnt && gluster --mode=script volume list"))
            #expect(result.status == 0, "node \(node.index): \(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == node.mountNamespace, "node \(node.index): \(lines)")
            #expect(Set(lines.dropFirst()) == Set(cluster.pool.map(\.name) + cluster.volumes.values), "node \(node.index): \(lines)")
        }
        let node = try cluster.node(1)
        let logins = try (0..<40).map { _ in try startProcess("/usr/bin/ssh", Self.sshArguments(cluster, node, "true")) }
        var failed: [String] = []
        for login in logins {
            let result = try await login.finish()
            if result.status != 0 { failed.append(result.stderr) }
        }
        #expect(failed.isEmpty, "\(failed.count) of 40 concurrent logins failed: \(failed.prefix(3))")
    }

    /// Without --management-tls, a client in the root namespace cannot fetch the volume
    /// file from nodes with `secure-access` (errno 107): gshare says it could not run, and
    /// names the flag.
    @Test(.timeLimit(.minutes(1)))
    func gshareAccessTestWithoutManagementTLSCannotRunAndNamesTheFlag() async throws {
        let cluster = try Cluster.load()
        let node = try cluster.node(1)
        let tenant = try cluster.identity(named: "tenant-a")
        let result = try await runProcess(
            EndToEndTests.binary,
            ["access", "test", "\(node.address):/\(cluster.pool[0].name)", "--cert", tenant.cert, "--key", tenant.key, "--ca", tenant.ca,
             "--timeout", "20"])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("COULD NOT RUN") && result.stdout.contains("--management-tls"), "\(result.stdout)")
    }

    /// A libgfapi client whose mount namespace holds `secure-access` and a node-trusted
    /// identity at the default paths (`/usr/lib/ssl/glusterfs.*`, used for the management
    /// link) gets in: gshare-manager is allowed on a pool volume, tenant-a (not listed) refused.
    @Test(.timeLimit(.minutes(2)))
    func aClientWithManagementTLSInItsNamespaceIsAllowedOrRefusedByTheList() async throws {
        let cluster = try Cluster.load()
        let volume = "\(try cluster.node(1).address):/\(cluster.pool[0].name)"
        let manager = try await Self.accessTestWithManagementTLS(cluster, volume, as: cluster.managerCN)
        #expect(manager.status == 0, "\(manager.stdout) \(manager.stderr)")
        #expect(manager.stdout.hasPrefix("\"\(cluster.managerCN)\" on \(volume): ALLOWED"), "\(manager.stdout)")
        let tenant = try await Self.accessTestWithManagementTLS(cluster, volume, as: "tenant-a")
        #expect(tenant.status == 1, "\(tenant.stdout) \(tenant.stderr)")
        #expect(tenant.stdout.contains("REFUSED"), "\(tenant.stdout)")
    }

    /// `gshare access test` in a private mount namespace (unshare) where /var/lib/glusterd
    /// holds only `secure-access` and /usr/lib/ssl holds `name`'s glusterfs.* (OpenSSL's own
    /// entries as symlinks); nothing outside that namespace changes.
    static func accessTestWithManagementTLS(_ cluster: Cluster, _ volume: String, as name: String) async throws -> ProcessResult {
        let identity = try cluster.identity(named: name)
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = FileManager.default
        let lib = folder.appendingPathComponent("lib")
        let ssl = folder.appendingPathComponent("ssl")
        try files.createDirectory(at: lib, withIntermediateDirectories: true)
        try files.createDirectory(at: ssl, withIntermediateDirectories: true)
        _ = files.createFile(atPath: lib.appendingPathComponent("secure-access").path, contents: Data())
        for entry in ["cert.pem", "certs", "openssl.cnf", "private"] {
            if let target = try? files.destinationOfSymbolicLink(atPath: "/usr/lib/ssl/\(entry)") {
                try files.createSymbolicLink(atPath: ssl.appendingPathComponent(entry).path, withDestinationPath: target)
            }
        }
        for (source, file) in [(identity.cert, "glusterfs.pem"), (identity.key, "glusterfs.key"), (identity.ca, "glusterfs.ca")] {
            try files.copyItem(atPath: source, toPath: ssl.appendingPathComponent(file).path)
        }
        // the script is constant; every path reaches it as an argument
        let inside = "mount --bind \"$1\" /var/lib/glusterd && mount --bind \"$2\" /usr/lib/ssl && shift 2 && exec \"$@\""
        return try await runProcess(
            "/usr/bin/unshare",
            ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", inside, "sh", lib.path, ssl.path, EndToEndTests.binary,
             "access", "test", volume, "--cert", identity.cert, "--key", identity.key, "--ca", identity.ca, "--timeout", "20"])
    }

    @Test(.timeLimit(.minutes(3)))
    func killingNode3AndStartingItAgainLeavesTheClusterFullyUp() async throws {
        let cluster = try Cluster.load()
        try await cluster.ready()
        let node3 = try cluster.node(3)
        var restarted = false
        defer {
            if !restarted { _ = try? runProcessBlocking(cluster.script, ["start-node", "3"], environment: cluster.scriptEnvironment) }
        }
        let before = try String(contentsOfFile: node3.glusterdPidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        let kill = try await Self.script(cluster, "kill-node", "3")
        #expect(kill.status == 0, "\(kill.stdout) \(kill.stderr)")
        #expect(!Self.isAlive(before), "glusterd \(before) of node 3 survived kill-node")
        let down = try await Self.script(cluster, "status")
        #expect(down.status == 1, "\(down.stdout)")
        #expect(down.stdout.contains("glusterd:  NOT running"), "\(down.stdout)")
        #expect(down.stdout.contains("\(node3.address) DISCONNECTED"), "\(down.stdout)")
        // the others go on: node 1 still knows every volume
        let info = try await Self.glusterInside(try cluster.node(1), "volume", "list")
        #expect(info.status == 0 && info.stdout.contains(cluster.pool[0].name), "\(info.stdout) \(info.stderr)")

        let start = try await Self.script(cluster, "start-node", "3")
        restarted = start.status == 0
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        let up = try await Self.script(cluster, "status")
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        let after = try String(contentsOfFile: node3.glusterdPidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(after != before)
    }
}
}

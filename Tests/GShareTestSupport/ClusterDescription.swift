//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

internal import Foundation

/// The 3-node GlusterFS cluster started by `scripts/gluster-cluster up`, as its cluster.json
/// describes it (`/var/tmp/gshare-cluster/cluster.json`, or `GSHARE_CLUSTER_JSON`). Node N is
/// a glusterd and an sshd on 127.0.0.1N, both in the node's own mount namespace (its state,
/// its certificate gluster-node-N, management TLS). Tests load it and FAIL (never skip) when
/// it is missing.
public struct ClusterDescription: Decodable, Sendable {
    public typealias Identity = LabDescription.Identity
    public typealias PoolVolume = LabDescription.PoolVolume

    public struct HostKey: Decodable, Sendable {
        /// The `.pub` file of the node's ed25519 host key.
        public let `public`: String
        /// `SHA256:…`, as `ssh-keygen -lf` prints it.
        public let fingerprint: String
    }

    public struct Node: Decodable, Sendable {
        /// 1, 2 or 3.
        public let index: Int
        /// 127.0.0.11, .12, .13: glusterd, its bricks and the node's sshd listen there.
        public let address: String
        public let sshPort: Int
        /// gluster-node-N: the CN of the node's certificate.
        public let cn: String
        /// The node's folder (lib, run, log, ssl, home, bricks are bound into its namespace).
        public let dir: String
        public let glusterdPidFile: String
        public let glusterdVolfile: String
        public let sshdPidFile: String
        public let sshdConfig: String
        /// The `sleep` process holding the node's mount namespace.
        public let holderPidFile: String
        public let holderPid: Int32
        /// `mnt:[…]`, as `readlink /proc/PID/ns/mnt` prints it.
        public let mountNamespace: String
        public let hostKey: HostKey
        public let bricks: String
        public let logs: String
    }

    public struct SSH: Decodable, Sendable {
        /// root
        public let user: String
        public let port: Int
        /// ed25519, no passphrase, authorized on every node.
        public let privateKey: String
        public let publicKey: String
        /// The three nodes' host keys.
        public let knownHosts: String
    }

    public struct PKI: Decodable, Sendable {
        public let dir: String
        public let nodeRoot: String
        public let tenantRoot: String
        public let crlPath: String
    }

    public let root: String
    /// The scripts/gluster-cluster that made it (run it with `GSHARE_CLUSTER_ROOT` = ``root``).
    public let script: String
    /// The cluster's gshare.toml (servers over SSH, pattern, key, known_hosts, system CNs).
    public let config: String
    /// `root@127.0.0.11` … (with `:port` when it is not 22), as in the gshare.toml.
    public let servers: [String]
    public let volumePattern: String
    public let nodes: [Node]
    public let ssh: SSH
    public let managerCN: String
    /// The three node CNs and gshare-manager.
    public let systemCNs: [String]
    public let pki: PKI
    public let identities: [String: Identity]
    /// Replica-3 volumes matching ``volumePattern``, TLS on, every system CN allowed.
    public let pool: [PoolVolume]
    /// Test volumes by role: `plain` (TLS off), `missing-node-cn` (gluster-node-3 not allowed).
    public let volumes: [String: String]
    /// Whether glusterd's management connections use TLS (secure-access on every node).
    public let managementTLS: Bool

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    public static var path: String {
        ProcessInfo.processInfo.environment["GSHARE_CLUSTER_JSON"] ?? "/var/tmp/gshare-cluster/cluster.json"
    }

    /// The cluster, or an error that says how to start it.
    public static func load() throws -> ClusterDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "no GlusterFS cluster lab: \(path) is missing — run scripts/gluster-cluster up (as root)")
        }
        do {
            return try JSONDecoder().decode(ClusterDescription.self, from: data)
        } catch {
            throw Missing(description: "\(path) cannot be read (\(error)) — run scripts/gluster-cluster up")
        }
    }

    /// Node `index` (1, 2 or 3).
    public func node(_ index: Int) throws -> Node {
        guard let node = nodes.first(where: { $0.index == index }) else {
            throw Missing(description: "cluster.json has no node \(index) — run scripts/gluster-cluster up")
        }
        return node
    }

    /// The identity called `name` (tenant-a, gshare-manager, gluster-node-2, …).
    public func identity(named name: String) throws -> Identity {
        guard let identity = identities[name] else {
            throw Missing(description: "cluster.json has no identity \(name) — run scripts/gluster-cluster up")
        }
        return identity
    }

    /// The test volume playing `role` (`plain`, `missing-node-cn`).
    public func volume(_ role: String) throws -> String {
        guard let name = volumes[role] else {
            throw Missing(description: "cluster.json has no \(role) volume — run scripts/gluster-cluster up")
        }
        return name
    }

    /// The environment scripts/gluster-cluster needs to act on this cluster.
    public var scriptEnvironment: [String: String] { ["GSHARE_CLUSTER_ROOT": root] }
}

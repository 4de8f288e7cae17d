//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI

/// Which bricks glusterd reports online, per volume (`gluster volume status all --xml`).
/// Bricks of a node that is down are not listed at all: a brick of `volume info` missing
/// here is down.
public struct BrickStatus: Sendable, Equatable {
    /// `host:/path` of every brick reported online, by volume name.
    public let online: [String: Set<String>]
    /// The TCP port of each brick online (`host:/path`), where glusterd gives one.
    public let ports: [String: Int]

    public init(online: [String: Set<String>], ports: [String: Int] = [:]) {
        self.online = online
        self.ports = ports
    }

    /// Parses `gluster --xml volume status all`.
    /// - Throws: ``GlusterDriverError`` for a refused command or output that is not its XML.
    public static func parse(_ output: GlusterCommandOutput, command: [String] = ["volume", "status", "all"]) throws -> BrickStatus {
        let document = try GlusterCLIDocument(output, command: command)
        var online: [String: Set<String>] = [:]
        var ports: [String: Int] = [:]
        let volumes = document.root.elements(forName: "volStatus").first?.elements(forName: "volumes").first?.elements(forName: "volume") ?? []
        for volume in volumes {
            guard let name = volume.text(of: "volName"), !name.isEmpty else {
                throw GlusterDriverError(.malformedOutput, command: command, message: "a <volume> of the status has no <volName>")
            }
            var bricks = online[name] ?? []
            for node in volume.elements(forName: "node") {
                guard let host = node.text(of: "hostname"), let path = node.text(of: "path"), path.hasPrefix("/") else { continue }
                guard node.text(of: "status") == "1" else { continue }
                bricks.insert("\(host):\(path)")
                if let port = node.text(of: "port").flatMap(Int.init), (1...65535).contains(port) { ports["\(host):\(path)"] = port }
            }
            online[name] = bricks
        }
        return BrickStatus(online: online, ports: ports)
    }
}

/// One trusted pool as gshare found it: which nodes its peers see disconnected, which
/// bricks of the pool's volumes are down (and whether each volume can still serve its
/// clients), and its lock volume. What `gshare status` shows and `gshare doctor` judges.
public struct ClusterHealth: Sendable, Equatable, Codable {
    /// A pool volume with bricks down.
    public struct VolumeHealth: Sendable, Equatable, Codable {
        public let volume: String
        public let replicaCount: Int
        public let bricks: Int
        /// `host:/path` of each brick not online.
        public let bricksDown: [String]
        /// Every replica set keeps its quorum (more than half of its bricks up, or exactly
        /// half including its first: GlusterFS's client quorum `auto`), so clients can
        /// write; false: clients fail.
        public let serving: Bool

        public init(volume: String, replicaCount: Int, bricks: Int, bricksDown: [String], serving: Bool) {
            self.volume = volume
            self.replicaCount = replicaCount
            self.bricks = bricks
            self.bricksDown = bricksDown
            self.serving = serving
        }
    }

    /// The lock volume (`glusterfs_lock_volume`) as found in the pool.
    public struct LockVolumeHealth: Sendable, Equatable, Codable {
        public let name: String
        public let present: Bool
        public let started: Bool
        /// `server.ssl` on: only listed CNs reach it.
        public let tls: Bool
        /// gshare's CN (the manager's) is in its `auth.ssl-allow`; nil when unknown.
        public let admitsManager: Bool?

        public init(name: String, present: Bool, started: Bool, tls: Bool, admitsManager: Bool?) {
            self.name = name
            self.present = present
            self.started = started
            self.tls = tls
            self.admitsManager = admitsManager
        }
    }

    /// The configured servers of this pool.
    public let servers: [String]
    /// The node that answered.
    public let answered: String
    /// How many nodes the pool has (nil when its peer list could not be read).
    public let nodeCount: Int?
    /// Peers the answering node sees disconnected (down, or cut off).
    public let disconnectedPeers: [String]
    /// Pool volumes with bricks down.
    public let volumes: [VolumeHealth]
    public let lockVolume: LockVolumeHealth
    /// What could not be read (the peer list, the brick status), with why.
    public let problems: [String]

    public init(
        servers: [String], answered: String, nodeCount: Int?, disconnectedPeers: [String], volumes: [VolumeHealth], lockVolume: LockVolumeHealth,
        problems: [String]
    ) {
        self.servers = servers
        self.answered = answered
        self.nodeCount = nodeCount
        self.disconnectedPeers = disconnectedPeers
        self.volumes = volumes
        self.lockVolume = lockVolume
        self.problems = problems
    }

    /// Whether one replica set (bricks in order) with these bricks up keeps client quorum.
    static func keepsQuorum(_ set: [String], online: Set<String>) -> Bool {
        let up = set.filter(online.contains).count
        if up * 2 > set.count { return true }
        if up * 2 == set.count, let first = set.first { return online.contains(first) }
        return false
    }

    /// The health of `volumes` (a pool's) given the bricks online.
    static func volumes(_ volumes: [VolumeInfo], status: BrickStatus) -> [VolumeHealth] {
        volumes.compactMap { info in
            guard info.status == .started else { return nil }  // a stopped volume is judged by its posture
            let online = status.online[info.name] ?? []
            let down = info.bricks.filter { !online.contains($0) }
            guard !down.isEmpty else { return nil }
            let size = max(1, info.replicaCount)
            let sets = stride(from: 0, to: info.bricks.count, by: size).map { Array(info.bricks[$0..<min($0 + size, info.bricks.count)]) }
            return VolumeHealth(
                volume: info.name, replicaCount: info.replicaCount, bricks: info.bricks.count, bricksDown: down,
                serving: sets.allSatisfy { keepsQuorum($0, online: online) })
        }
    }
}

extension ShareDriver {
    /// Each pool's health: one `pool list` and one `volume status all` on the node that
    /// answered the inventory's read (concurrently, every pool at once), and the lock volume
    /// from the read itself.
    ///
    /// - Parameters:
    ///   - brickStatus: the pools' brick status read already (``brickStatuses(of:)``); nil:
    ///     read here.
    ///   - managerCN: gshare's own CN when the caller has it; nil: read from `manager_cert`.
    public func clusterHealth(of inventory: PoolInventory, brickStatus: [String: BrickStatus]? = nil, managerCN: String? = nil) async -> [ClusterHealth] {
        let managerCN = managerCN ?? managerCommonName()
        return await withTaskGroup(of: (Int, ClusterHealth).self) { group in
            for (position, read) in inventory.clusters.enumerated() {
                let known: BrickStatus?? = brickStatus.map { $0[read.answered.description] }
                group.addTask {
                    (
                        position,
                        await health(
                            of: read, poolVolumes: inventory.volumes.filter { read.servers.contains($0.server) }, managerCN: managerCN, brickStatus: known)
                    )
                }
            }
            var found: [(Int, ClusterHealth)] = []
            for await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `brickStatus`: nil to read it here; `.some(nil)`: read already and unreadable.
    func health(of read: ClusterRead, poolVolumes: [PoolVolume], managerCN: String?, brickStatus known: BrickStatus?? = nil) async -> ClusterHealth {
        var problems: [String] = []
        var nodeCount: Int?
        var disconnected: [String] = []
        var volumes: [ClusterHealth.VolumeHealth] = []
        do {
            let cli = GlusterCLI(runner: try nodeRunner(read.answered))
            async let members = cli.poolMembers()
            async let status: BrickStatus? = {
                if let known { return known }
                return await brickStatus(cli)
            }()
            do {
                let peers = try await members
                nodeCount = peers.peers.count + 1
                disconnected = peers.peers.filter { !$0.connected }.map(\.hostname)
            } catch {
                problems.append("the peer list (gluster pool list on \(read.answered)): \(error)")
            }
            if let bricks = await status {
                volumes = ClusterHealth.volumes(poolVolumes.map(\.info), status: bricks)
            } else {
                problems.append("the brick status (gluster volume status all on \(read.answered), asked 3 times)")
            }
        } catch {
            problems.append("\(read.answered): \(error)")
        }
        let lock = read.volumes.first { $0.name == config.lockVolume }
        let allow = lock.map { SSLAllowList(optionValue: $0.option("auth.ssl-allow")) }
        return ClusterHealth(
            servers: read.servers.map(\.description), answered: read.answered.description, nodeCount: nodeCount, disconnectedPeers: disconnected,
            volumes: volumes,
            lockVolume: ClusterHealth.LockVolumeHealth(
                name: config.lockVolume, present: lock != nil, started: lock?.status == .started,
                tls: lock?.option(TLSOption.serverSSL).flatMap(GlusterBoolean.parse) == true,
                admitsManager: managerCN.flatMap { cn in allow.map { $0.admitsAnyone || $0.uniqueEntries.contains(cn) } }),
            problems: problems)
    }

    /// gshare's own CN (the first subject CN of `manager_cert`), when it can be read.
    func managerCommonName() -> String? {
        guard let path = config.manager?.certificate, let chain = try? Certificate.load(fromFile: path), let leaf = chain.first else { return nil }
        return String(decoding: leaf.glusterFSName.bytes, as: UTF8.self)
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
public import TenantPKI

/// One volume of the configured pool, as its server's `volume info all` describes it.
public struct PoolVolume: Sendable {
    public let server: GlusterServer
    public let info: VolumeInfo
    /// From `glusterfs_volume_pattern`'s `#{size}`; nil = unsized.
    public let sizeGB: Int?
    public let posture: TLSPosture
    public let marks: ShareMarks

    /// Every configured server of the volume's trusted pool, ``server`` first: gshare runs
    /// its commands on the first of them that answers.
    public let servers: [GlusterServer]

    public init(server: GlusterServer, info: VolumeInfo, sizeGB: Int?, systemCNs: [CommonName], servers: [GlusterServer]? = nil) {
        self.server = server
        self.servers = servers ?? [server]
        self.info = info
        self.sizeGB = sizeGB
        self.posture = TLSPosture.evaluate(info, systemCNs: systemCNs)
        self.marks = ShareMarks(options: info.options)
    }

    public var name: String { info.name }
    public var target: GlusterTarget { GlusterTarget(server: server, volume: info.name) }
    /// What a tenant mounts: `host:/volume`.
    public var exportLocation: String { target.exportLocation }
    public var allowList: SSLAllowList { SSLAllowList(optionValue: info.option("auth.ssl-allow")) }

    /// The hosts holding the volume's bricks, each once, in brick order.
    public var nodes: [String] {
        var seen = Set<String>()
        return info.bricks.compactMap { brick in
            guard let separator = brick.range(of: ":/") else { return nil }
            let host = String(brick[..<separator.lowerBound])
            return !host.isEmpty && seen.insert(host.lowercased()).inserted ? host : nil
        }
    }

    /// The other nodes a client can fetch the volume file from when the export's host is down
    /// (mount option `backup-volfile-servers`, libgfapi's extra volfile servers): every brick
    /// host but the export's own. Empty on a one-node volume.
    public var backupVolfileServers: [String] {
        let primary = server.host.lowercased()
        return nodes.filter { $0.lowercased() != primary }
    }

    /// The export's mount option naming the backup volfile servers; nil when there are none.
    public var mountOptions: String? { Self.mountOptions(backupVolfileServers: backupVolfileServers) }

    /// `backup-volfile-servers=A:B`; nil without backups.
    static func mountOptions(backupVolfileServers: [String]) -> String? {
        backupVolfileServers.isEmpty ? nil : "backup-volfile-servers=" + backupVolfileServers.joined(separator: ":")
    }

    /// What the volume is doing, for `pool list`.
    public var state: State {
        if let unknown = marks.unknownState { return .unknown(unknown) }
        if marks.state == .needsWipe { return .needsWipe(shareID: marks.shareID) }
        if let id = marks.shareID { return .share(id) }
        return .free
    }

    public enum State: Sendable, Equatable {
        case free
        case share(String)
        case needsWipe(shareID: String?)
        case unknown(String)

        /// `free`, `share <id>`, `needs-wipe`, `unknown-state <value>`.
        public var label: String {
            switch self {
            case .free: "free"
            case .share: "in use"
            case .needsWipe: "needs-wipe"
            case .unknown(let value): "unknown state \(value)"
            }
        }
    }

    /// Free and safe to hand out.
    public var isAvailable: Bool { state == .free && posture.isReady }
}

/// What one node of a cluster said: the pool's volumes as `volume info all` lists them.
public struct ClusterRead: Sendable {
    /// The configured servers of the cluster, in configuration order.
    public let servers: [GlusterServer]
    /// The node that answered.
    public let answered: GlusterServer
    public let volumes: [VolumeInfo]
    /// Nodes asked before ``answered`` that could not take the command, with why.
    public let passedOver: [String]

    public init(servers: [GlusterServer], answered: GlusterServer, volumes: [VolumeInfo], passedOver: [String] = []) {
        self.servers = servers
        self.answered = answered
        self.volumes = volumes
        self.passedOver = passedOver
    }
}

/// The pool as the servers see it now: one `volume info all` per cluster.
public struct PoolInventory: Sendable {
    public let volumes: [PoolVolume]
    /// Configured targets their server does not have.
    public let missingTargets: [GlusterTarget]

    /// Nodes that did not answer while another node of their cluster did, with why.
    public let passedOver: [String]

    /// The reads it was assembled from, one per cluster (every volume of it, not only the
    /// pool's): what cluster health and the lock volume are judged from.
    public let clusters: [ClusterRead]

    public init(volumes: [PoolVolume], missingTargets: [GlusterTarget], passedOver: [String] = [], clusters: [ClusterRead] = []) {
        self.volumes = volumes
        self.missingTargets = missingTargets
        self.passedOver = passedOver
        self.clusters = clusters
    }

    /// Picks the pool's volumes out of each server's `volume info all` (each server its own
    /// cluster): the configured targets, and on `glusterfs_servers` the volumes matching
    /// `glusterfs_volume_pattern`.
    public static func assemble(config: GShareConfig, volumesByServer: [GlusterServer: [VolumeInfo]]) -> PoolInventory {
        assemble(config: config, clusters: config.allServers.compactMap { server in
            volumesByServer[server].map { ClusterRead(servers: [server], answered: server, volumes: $0) }
        })
    }

    /// Picks the pool's volumes out of what one node of each cluster said: the configured
    /// targets, and on `glusterfs_servers` the volumes matching `glusterfs_volume_pattern`.
    /// A volume is its volume ID: seen through several nodes or named by several targets,
    /// it is listed once (the first target or server in configuration order).
    public static func assemble(config: GShareConfig, clusters: [ClusterRead]) -> PoolInventory {
        var volumes: [PoolVolume] = []
        var seen = Set<String>()
        var missing: [GlusterTarget] = []
        let matcher = config.volumePattern?.makeMatcher()  // compiled once for every name
        func identity(_ info: VolumeInfo, _ server: GlusterServer) -> String {
            info.id.isEmpty ? "\(server):/\(info.name)" : info.id
        }
        for target in config.targets {
            guard let cluster = clusters.first(where: { $0.servers.contains(target.server) }),
                let info = cluster.volumes.first(where: { $0.name == target.volume })
            else {
                missing.append(target)
                continue
            }
            guard seen.insert(identity(info, target.server)).inserted else { continue }
            let size = config.sizeUnit.units(ofGiB: matcher?.match(target.volume)?.sizeGB)
            let servers = [target.server] + cluster.servers.filter { $0 != target.server }
            volumes.append(PoolVolume(server: target.server, info: info, sizeGB: size, systemCNs: config.systemCNs, servers: servers))
        }
        if let matcher {
            for cluster in clusters {
                guard let server = cluster.servers.first(where: { config.servers.contains($0) }) else { continue }
                let servers = [server] + cluster.servers.filter { $0 != server }
                for info in cluster.volumes {
                    guard let match = matcher.match(info.name) else { continue }
                    guard seen.insert(identity(info, server)).inserted else { continue }
                    volumes.append(PoolVolume(server: server, info: info, sizeGB: config.sizeUnit.units(ofGiB: match.sizeGB), systemCNs: config.systemCNs, servers: servers))
                }
            }
        }
        return PoolInventory(volumes: volumes, missingTargets: missing, passedOver: clusters.flatMap(\.passedOver), clusters: clusters)
    }

    /// The volume holding share `reference` (its id, or its name).
    public func volume(holding reference: String) -> PoolVolume? {
        volumes.first { $0.marks.shareID == reference } ?? volumes.first { $0.marks.shareID != nil && $0.marks.name == reference }
    }

    /// The pool volume called `name` (a bare volume name or `host:/volume`).
    public func volume(named name: String) -> PoolVolume? {
        volumes.first { $0.name == name || $0.exportLocation == name || $0.target.description == name }
    }

    /// Free volumes that pass the posture check, as selection candidates (keyed by
    /// `GlusterTarget.description`, unique across servers).
    public var candidates: [PoolCandidate] {
        volumes.filter(\.isAvailable).map { PoolCandidate(volume: $0.target.description, sizeGB: $0.sizeGB) }
    }
}

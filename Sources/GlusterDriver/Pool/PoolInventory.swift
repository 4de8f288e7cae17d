//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import TenantPKI

/// One volume of the configured pool, as its server's `volume info all` describes it.
public struct PoolVolume: Sendable {
    public let server: GlusterServer
    public let info: VolumeInfo
    /// From `glusterfs_volume_pattern`'s `#{size}`; nil = unsized.
    public let sizeGB: Int?
    public let posture: TLSPosture
    public let marks: ShareMarks

    public init(server: GlusterServer, info: VolumeInfo, sizeGB: Int?, systemCNs: [CommonName]) {
        self.server = server
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

/// The pool as the servers see it now: one `volume info all` per server.
public struct PoolInventory: Sendable {
    public let volumes: [PoolVolume]
    /// Configured targets their server does not have.
    public let missingTargets: [GlusterTarget]

    public init(volumes: [PoolVolume], missingTargets: [GlusterTarget]) {
        self.volumes = volumes
        self.missingTargets = missingTargets
    }

    /// Picks the pool's volumes out of each server's `volume info all`: the configured
    /// targets, and on `glusterfs_servers` the volumes matching `glusterfs_volume_pattern`.
    public static func assemble(config: GShareConfig, volumesByServer: [GlusterServer: [VolumeInfo]]) -> PoolInventory {
        var volumes: [PoolVolume] = []
        var seen = Set<GlusterTarget>()
        var missing: [GlusterTarget] = []
        let matcher = config.volumePattern?.makeMatcher()  // compiled once for every name
        for target in config.targets {
            guard let info = volumesByServer[target.server]?.first(where: { $0.name == target.volume }) else {
                missing.append(target)
                continue
            }
            guard seen.insert(target).inserted else { continue }
            let size = matcher?.match(target.volume)?.sizeGB
            volumes.append(PoolVolume(server: target.server, info: info, sizeGB: size, systemCNs: config.systemCNs))
        }
        if let matcher {
            for server in config.servers {
                for info in volumesByServer[server] ?? [] {
                    guard let match = matcher.match(info.name) else { continue }
                    let target = GlusterTarget(server: server, volume: info.name)
                    guard seen.insert(target).inserted else { continue }
                    volumes.append(PoolVolume(server: server, info: info, sizeGB: match.sizeGB, systemCNs: config.systemCNs))
                }
            }
        }
        return PoolInventory(volumes: volumes, missingTargets: missing)
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

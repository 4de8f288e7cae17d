//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

public import GlusterDriver
public import TenantPKI

/// What `gshare status` shows: each share with who is let in, the free volumes, and the
/// volumes waiting for a wipe. Built from one inventory (one `volume info all` per server)
/// and the tenant list; pure.
public struct StatusReport: Sendable, Codable {
    /// One `auth.ssl-allow` entry of a share and whose it is.
    public struct Entry: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            /// A node's or gshare's own CN.
            case system
            /// A tenant's CN (``Entry/tenant`` names it).
            case tenant
            /// Neither: added by hand, a glob, or a tenant no longer registered.
            case unknown
        }

        public let name: String
        public let kind: Kind
        /// The tenant owning the CN (the first in registry order when several do).
        public let tenant: String?

        public init(name: String, kind: Kind, tenant: String?) {
            self.name = name
            self.kind = kind
            self.tenant = tenant
        }
    }

    public struct Share: Sendable, Codable {
        public let id: String
        public let name: String?
        /// `host:/volume`.
        public let volume: String
        /// What a tenant mounts.
        public let export: String
        /// `active`, `needs-wipe` or an unknown state's value.
        public let state: String
        /// The share's size (recorded, else its volume's), in ``StatusReport/sizeUnit``.
        public let sizeGB: Int?
        /// False for a share made before sizes were recorded ("size unknown").
        public let sizeRecorded: Bool
        /// Size, used and free bytes, and whether it is over its soft limit (nil: not read).
        public let usage: VolumeUsage?
        /// The volume passes every TLS posture check.
        public let tlsReady: Bool
        public let entries: [Entry]
    }

    public struct FreeVolume: Sendable, Codable {
        public let volume: String
        public let export: String
        public let sizeGB: Int?
        /// Can be handed out now.
        public let tlsReady: Bool
        /// The posture checks that failed (`server.ssl`, `auth.ssl-allow`…).
        public let problems: [String]
    }

    public struct WipeVolume: Sendable, Codable {
        public let volume: String
        /// The share that was deleted from it, when known.
        public let shareID: String?
        public let fix: String
    }

    public let shares: [Share]
    public let freeVolumes: [FreeVolume]
    public let volumesNeedingWipe: [WipeVolume]
    /// Volumes with a `user.gshare.state` this version does not know (left alone).
    public let volumesInUnknownState: [String]
    /// Configured targets their server does not have.
    public let missingTargets: [String]
    /// Each trusted pool's nodes, bricks down and lock volume (empty when not read).
    public let clusters: [ClusterHealth]
    /// The unit of the sizes (`GiB`; `MiB` only in a test lab).
    public let sizeUnit: String

    public init(
        inventory: PoolInventory, tenants: [DoctorTenant], systemCNs: [CommonName], clusters: [ClusterHealth] = [],
        usages: [String: VolumeUsage] = [:], sizeUnit: ShareSizeUnit = .gibibyte
    ) {
        let system = Set(systemCNs.map(\.value))
        var owner: [String: String] = [:]
        for tenant in tenants where owner[tenant.commonName] == nil { owner[tenant.commonName] = tenant.name }
        var shares: [Share] = []
        var free: [FreeVolume] = []
        var wipe: [WipeVolume] = []
        var unknown: [String] = []
        for volume in inventory.volumes {
            let label = volume.target.description
            switch volume.state {
            case .share(let id):
                let entries = volume.allowList.uniqueEntries.map { name in
                    if system.contains(name) { return Entry(name: name, kind: .system, tenant: nil) }
                    if let tenant = owner[name] { return Entry(name: name, kind: .tenant, tenant: tenant) }
                    return Entry(name: name, kind: .unknown, tenant: nil)
                }
                shares.append(
                    Share(
                        id: id, name: volume.marks.name, volume: label, export: volume.exportLocation,
                        state: volume.marks.state?.rawValue ?? "active", sizeGB: volume.marks.sizeGiB ?? volume.sizeGB,
                        sizeRecorded: volume.marks.sizeGiB != nil, usage: usages[volume.info.id], tlsReady: volume.posture.isReady,
                        entries: entries))
            case .free:
                free.append(
                    FreeVolume(
                        volume: label, export: volume.exportLocation, sizeGB: volume.sizeGB, tlsReady: volume.posture.isReady,
                        problems: volume.posture.problems.map(\.name)))
            case .needsWipe(let shareID):
                wipe.append(
                    WipeVolume(
                        volume: label, shareID: shareID,
                        fix: shareID.map { "gshare share delete \($0)" } ?? "gshare share delete \(volume.name)"))
            case .unknown(let value):
                unknown.append("\(label) (user.gshare.state = \(value))")
            }
        }
        self.shares = shares
        self.freeVolumes = free
        self.volumesNeedingWipe = wipe
        self.volumesInUnknownState = unknown
        self.missingTargets = inventory.missingTargets.map(\.description)
        self.clusters = clusters
        self.sizeUnit = sizeUnit.symbol
    }
}

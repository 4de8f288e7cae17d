//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import TenantPKI

/// A share: one whole volume of the pool, marked with `user.gshare.*`.
public struct Share: Sendable, Equatable, Codable {
    public let id: String
    public let name: String?
    public let created: String?
    /// `active`, or `needs-wipe` while a delete has not finished.
    public let state: String
    /// `[user@]host:/volume` as configured.
    public let target: String
    public let volume: String
    /// What a tenant mounts: `host:/volume`.
    public let exportLocation: String
    /// The other nodes a client fetches the volume file from when the export's host is down
    /// (`mount -t glusterfs -o backup-volfile-servers=A:B …`); empty on a one-node volume.
    public let backupVolfileServers: [String]
    /// The volume's identity (glusterd's volume ID).
    public let volumeID: String
    /// The share's size in GiB: as recorded at create (`user.gshare.size`, enforced by a
    /// quota), else, for a share made before sizes were recorded, its volume's own size.
    public let sizeGB: Int?
    /// ``sizeGB`` in bytes.
    public let sizeBytes: Int64?
    /// The unit of ``sizeGB`` and ``volumeSizeGB``: `GiB` (`MiB` only in a test lab).
    public let sizeUnit: String
    /// The size of the share's volume in GiB (its pattern size); nil when unsized.
    public let volumeSizeGB: Int?
    /// True when the size was recorded (and is enforced); false: "size unknown".
    public let sizeRecorded: Bool
    /// Size, used and free bytes, when asked for (`share show`, `--usage`); nil otherwise.
    public var usage: VolumeUsage?
    /// auth.ssl-allow, classified.
    public let access: [AllowListEntry]
    public let postureReady: Bool
    /// The project the share belongs to (nil: a share made with the CLI).
    public let project: String?
    /// Why the last background change of the share failed (e.g. a wipe), as recorded on the
    /// volume; nil when none did.
    public let failure: String?
    /// The CNs gshare granted on this share (`user.gshare.granted`).
    public let granted: [String]

    /// The mount option naming ``backupVolfileServers``; nil when there are none.
    public var mountOptions: String? { PoolVolume.mountOptions(backupVolfileServers: backupVolfileServers) }

    init?(_ volume: PoolVolume, systemCNs: [CommonName], unit: ShareSizeUnit) {
        guard let id = volume.marks.shareID else { return nil }
        self.volumeID = volume.info.id
        self.id = id
        self.name = volume.marks.name
        self.created = volume.marks.created
        self.state = volume.marks.state?.rawValue ?? volume.marks.unknownState ?? ShareMarks.State.active.rawValue
        self.target = volume.target.description
        self.volume = volume.name
        self.exportLocation = volume.exportLocation
        self.backupVolfileServers = volume.backupVolfileServers
        self.sizeGB = volume.marks.sizeGiB ?? volume.sizeGB
        self.sizeBytes = (volume.marks.sizeGiB ?? volume.sizeGB).map { Int64($0) * unit.bytes }
        self.sizeUnit = unit.symbol
        self.volumeSizeGB = volume.sizeGB
        self.sizeRecorded = volume.marks.sizeGiB != nil
        self.access = volume.allowList.classified(systemCNs: systemCNs, granted: Set(volume.marks.granted))
        self.postureReady = volume.posture.isReady
        self.project = volume.marks.project
        self.failure = volume.marks.failure
        self.granted = volume.marks.granted
    }
}

/// The name that goes into auth.ssl-allow: only from a certificate that passed validation
/// (``TenantIdentity``) or a ``CommonName`` checked by the same rules. Never a raw string.
public struct GrantedName: Sendable, Hashable {
    public let commonName: CommonName
    /// Where the name came from, for messages: "certificate tenant-a.pem" or "--cn".
    public let origin: String

    public init(_ identity: TenantIdentity, origin: String) {
        self.commonName = identity.commonName
        self.origin = origin
    }

    public init(_ commonName: CommonName) {
        self.commonName = commonName
        self.origin = "--cn"
    }
}

/// The access Manila's API lets a caller ask for; gshare (like the GlusterFS native driver)
/// supports exactly `cert` access at `rw`.
public struct AccessRequest: Sendable, Equatable {
    public let accessType: String
    public let level: String

    public init(accessType: String = "cert", level: String = "rw") {
        self.accessType = accessType
        self.level = level
    }

    /// Throws ``ShareDriverError`` `invalid-request` for anything but `cert`/`rw`.
    public func validate() throws {
        switch accessType {
        case "cert": break
        case "ip", "user":
            throw ShareDriverError(
                .invalidRequest, message: "access type '\(accessType)' is not supported: GlusterFS authorises these shares by the TLS certificate's common name only",
                hint: "ask for access type cert (the CLI's default, --access-type cert) naming the tenant's certificate CN")
        default:
            throw ShareDriverError(
                .invalidRequest, message: "unknown access type '\(accessType)'", hint: "the only access type is cert")
        }
        switch level {
        case "rw": break
        case "ro":
            throw ShareDriverError(
                .invalidRequest, message: "access level '\(level)' (read-only) is not supported: auth.ssl-allow admits a name read-write or not at all",
                hint: "ask for access level rw (the CLI's default, --level rw)")
        default:
            throw ShareDriverError(.invalidRequest, message: "unknown access level '\(level)'", hint: "the only level is rw")
        }
    }
}

/// What an allow or deny did.
public struct AccessChange: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable { case allow, deny }
    public let action: Action
    public let share: String
    public let volume: String
    public let commonName: String
    /// False when the list already said what was asked: nothing was written.
    public let changed: Bool
    public let before: String
    public let after: String
    /// Things the caller should know (e.g. a deny on a volume whose TLS is off).
    public let warnings: [String]
    /// True when the change is written but the running bricks ignore it until they restart
    /// (the list held a `\` entry, which they cannot parse): the volume is marked
    /// restart-pending; `gshare pool prepare VOLUME --restart` makes it take effect.
    public let restartNeeded: Bool
    /// When the share was created (its mark), so a caller can show the change as the
    /// share's access rule without reading the volume again.
    public let shareCreated: String?

    public init(
        action: Action, share: String, volume: String, commonName: String, changed: Bool, before: String, after: String, warnings: [String],
        restartNeeded: Bool = false, shareCreated: String? = nil
    ) {
        self.action = action
        self.share = share
        self.volume = volume
        self.commonName = commonName
        self.changed = changed
        self.before = before
        self.after = after
        self.warnings = warnings
        self.restartNeeded = restartNeeded
        self.shareCreated = shareCreated
    }
}

/// What a create did.
public struct CreateResult: Sendable, Equatable, Codable {
    public let share: Share
    /// Volumes tried first and lost to another process (claimed meanwhile).
    public let contended: [String]
}

/// What a delete did.
public struct DeleteResult: Sendable, Equatable, Codable {
    public let shareID: String
    public let volume: String
    /// False when the share had been deleted already (nothing to do).
    public let deleted: Bool
    public let filesRemoved: Int
    public let directoriesRemoved: Int
    public let bytesRemoved: Int64
}

/// What `pool prepare` did.
public struct PrepareResult: Sendable, Equatable, Codable {
    public let volume: String
    public let applied: [VolumeSetting]
    public let restarted: Bool
    /// True when server.ssl/client.ssl changed on a started volume and no restart was done.
    public let restartNeeded: Bool
    public let readyAfter: Bool
}

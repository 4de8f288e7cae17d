//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation
public import TenantPKI

/// gshare's configuration, read from `gshare.toml` (``parse(_:source:baseDirectory:environment:)``,
/// ``load(fileAt:environment:)``; `docs/gshare.example.toml` documents every key).
///
/// The volume keys keep Manila's names (`glusterfs_targets`, `glusterfs_servers`,
/// `glusterfs_volume_pattern`, `glusterfs_path_to_private_key`,
/// `glusterfs_server_password`, `glusterfs_mount_point_base`), so a Manila GlusterFS
/// driver configuration carries over. Relative paths are resolved against the
/// configuration file's folder; every path held here is absolute.
public struct GShareConfig: Sendable {
    /// The file the configuration came from (nil when built in code).
    public var source: String?
    /// The volumes managed one per share (`glusterfs_targets`), in configuration order.
    public var targets: [GlusterTarget]
    /// The servers whose volumes are discovered by ``volumePattern`` (`glusterfs_servers`).
    public var servers: [GlusterServer]
    /// Which discovered volumes are pool volumes, and their sizes (`glusterfs_volume_pattern`).
    public var volumePattern: VolumePattern?
    /// The SSH private key for remote servers (`glusterfs_path_to_private_key`).
    public var privateKeyPath: String?
    /// The SSH password for remote servers (`glusterfs_server_password`).
    public var serverPassword: SecretSource?
    /// Manila's mount point base (`glusterfs_mount_point_base`): accepted, unused while
    /// gshare wipes volumes through libgfapi instead of mounting them.
    public var mountPointBase: String?
    /// gshare's TLS identity (`manager_cert`, `manager_key`, `manager_ca`), used to wipe.
    public var manager: ManagerIdentity?
    /// CNs that stay in every `auth.ssl-allow` list: the nodes' and gshare's own (`system_cns`).
    public var systemCNs: [CommonName]
    /// The CA certificates tenant certificates must chain to (`tenant_ca`).
    public var tenantCA: String?
    /// Where gshare keeps its state (`state_dir`).
    public var stateDirectory: String
    /// The gluster CLI (`gluster_cli`), run locally or over SSH.
    public var glusterCommand: String
    /// glusterd's working directory on this machine (`glusterd_workdir`): where gshare, when
    /// it runs the CLI locally and may read it (root), verifies a write in glusterd's committed
    /// store instead of asking the CLI again.
    public var glusterdWorkdir: String
    /// How long one gluster CLI call may take (`command_timeout_seconds`).
    public var commandTimeout: Duration
    /// The passphrase of `glusterfs_path_to_private_key` (`glusterfs_private_key_passphrase`).
    public var privateKeyPassphrase: SecretSource?
    /// The OpenSSH known_hosts file SSH host keys are checked against (`ssh_known_hosts`).
    public var knownHostsPath: String
    /// The gluster CLI on SSH servers, as an argument vector (`remote_gluster_cli`), e.g.
    /// `["sudo", "-n", "/usr/sbin/gluster"]` for a remote user that is not root.
    public var remoteGlusterCommand: [String]
    /// The tenant CRL folder (`tenant_crl_dir`): the CRLs of every tenant CA, named as
    /// `openssl rehash` names them (what the servers' `ssl.crl-path` holds). `gshare doctor`
    /// checks it and finds revoked tenants in it.
    public var tenantCRLDirectory: String?
    /// How many days before a certificate ends `gshare doctor` warns (`expiry_warning_days`).
    public var expiryWarningDays: Int
    /// Whether the servers use management TLS (`glusterfs_management_tls`: glusterd's
    /// `/var/lib/glusterd/secure-access`), so that gshare's libgfapi clients (the wipe) fetch
    /// the volume file over TLS as gshare's identity.
    public var managementTLS: Bool
    /// The volume of each trusted pool that holds gshare's cluster-wide locks
    /// (`glusterfs_lock_volume`, default `gluster_shared_storage`, GlusterFS's own
    /// convention). Where a pool has no such volume, gshare locks on this host only.
    public var lockVolume: String
    /// How long a change waits for another gshare's lock (`lock_timeout_seconds`).
    public var lockTimeout: Duration

    /// Past what share of its size a share is "over its soft limit" (`soft_limit_percent`,
    /// default 80): reported by `status` and `doctor`, and given to GlusterFS with the limit.
    public var softLimitPercent: Int
    /// The unit of share sizes (`share_size_unit`): GiB, Manila's; MiB only in test labs.
    public var sizeUnit: ShareSizeUnit

    /// The soft limit when `soft_limit_percent` is absent: 80 %, GlusterFS's own default.
    public static let defaultSoftLimitPercent = 80
    /// The soft limits `soft_limit_percent` accepts.
    public static let softLimitPercentRange = 1...100

    /// The lock volume when `glusterfs_lock_volume` is absent.
    public static let defaultLockVolume = "gluster_shared_storage"
    /// The wait when `lock_timeout_seconds` is absent: 120 seconds.
    public static let defaultLockTimeout = Duration.seconds(120)
    /// The waits `lock_timeout_seconds` accepts, in seconds. Below the 42 s a vanished host
    /// keeps its locks (GlusterFS's `network.ping-timeout`), a change gives up before
    /// GlusterFS lets go of such a lock: the default is well above it.
    public static let lockTimeoutRange = 1...3600

    /// The gluster CLI used when `gluster_cli` is absent.
    public static let defaultGlusterCommand = "/usr/sbin/gluster"
    /// The remote gluster CLI when `remote_gluster_cli` is absent.
    public static let defaultRemoteGlusterCommand = ["/usr/sbin/gluster"]

    /// `~/.ssh/known_hosts` of the user running gshare (from $HOME).
    public static func defaultKnownHostsPath(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".ssh/known_hosts")
    }

    /// glusterd's working directory when `glusterd_workdir` is absent (Debian's glusterd.vol).
    public static let defaultGlusterdWorkdir = "/var/lib/glusterd"
    /// The timeout used when `command_timeout_seconds` is absent: 120 seconds.
    public static let defaultCommandTimeout = Duration.seconds(120)
    /// The timeouts `command_timeout_seconds` accepts, in seconds.
    public static let commandTimeoutRange = 1...3600
    /// The warning window used when `expiry_warning_days` is absent: 30 days.
    public static let defaultExpiryWarningDays = 30
    /// The windows `expiry_warning_days` accepts, in days.
    public static let expiryWarningDaysRange = 1...365

    /// A configuration built in code (tests); nothing is checked.
    public init(
        source: String? = nil, targets: [GlusterTarget] = [], servers: [GlusterServer] = [], volumePattern: VolumePattern? = nil,
        privateKeyPath: String? = nil, serverPassword: SecretSource? = nil, mountPointBase: String? = nil,
        manager: ManagerIdentity? = nil, systemCNs: [CommonName], tenantCA: String? = nil,
        stateDirectory: String = "/var/lib/gshare", glusterCommand: String = GShareConfig.defaultGlusterCommand,
        glusterdWorkdir: String = GShareConfig.defaultGlusterdWorkdir, commandTimeout: Duration = GShareConfig.defaultCommandTimeout,
        privateKeyPassphrase: SecretSource? = nil, knownHostsPath: String = "/root/.ssh/known_hosts",
        remoteGlusterCommand: [String] = GShareConfig.defaultRemoteGlusterCommand, tenantCRLDirectory: String? = nil,
        expiryWarningDays: Int = GShareConfig.defaultExpiryWarningDays, managementTLS: Bool = false,
        lockVolume: String = GShareConfig.defaultLockVolume, lockTimeout: Duration = GShareConfig.defaultLockTimeout,
        softLimitPercent: Int = GShareConfig.defaultSoftLimitPercent, sizeUnit: ShareSizeUnit = .gibibyte
    ) {
        self.source = source
        self.targets = targets
        self.servers = servers
        self.volumePattern = volumePattern
        self.privateKeyPath = privateKeyPath
        self.serverPassword = serverPassword
        self.mountPointBase = mountPointBase
        self.manager = manager
        self.systemCNs = systemCNs
        self.tenantCA = tenantCA
        self.stateDirectory = stateDirectory
        self.glusterCommand = glusterCommand
        self.glusterdWorkdir = glusterdWorkdir
        self.privateKeyPassphrase = privateKeyPassphrase
        self.knownHostsPath = knownHostsPath
        self.remoteGlusterCommand = remoteGlusterCommand
        self.commandTimeout = commandTimeout
        self.tenantCRLDirectory = tenantCRLDirectory
        self.expiryWarningDays = expiryWarningDays
        self.managementTLS = managementTLS
        self.lockVolume = lockVolume
        self.lockTimeout = lockTimeout
        self.softLimitPercent = softLimitPercent
        self.sizeUnit = sizeUnit
    }

    /// The servers to ask: every target's server plus `glusterfs_servers`, de-duplicated,
    /// in configuration order.
    public var allServers: [GlusterServer] {
        var seen = Set<GlusterServer>()
        return (targets.map(\.server) + servers).filter { seen.insert($0).inserted }
    }

    /// Where gshare keeps its state when `state_dir` is absent: `/var/lib/gshare` for root,
    /// else `$XDG_STATE_HOME/gshare` (when absolute), else `~/.local/state/gshare`.
    ///
    /// - Parameters:
    ///   - environment: the variables to read `XDG_STATE_HOME` and `HOME` from.
    ///   - isRoot: whether gshare runs as root.
    public static func defaultStateDirectory(environment: [String: String], isRoot: Bool = geteuid() == 0) -> String {
        if isRoot { return "/var/lib/gshare" }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return (xdg as NSString).appendingPathComponent("gshare") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/gshare")
    }

    /// Things that are allowed but deserve attention: an inline password (and a file others
    /// may read), an unused mount point base, referenced files that do not exist.
    ///
    /// - Parameter checkingFiles: whether to look at the files the configuration names
    ///   (existence, and the configuration file's permissions).
    public func warnings(checkingFiles: Bool = true) -> [String] {
        var warnings: [String] = []
        if case .inline = serverPassword {
            var text = "glusterfs_server_password is written inline: the configuration file must be readable only by gshare's user "
                + "(mode 0600, or 0640 with a trusted group); prefer { file = \"…\" } or { env = \"…\" }"
            if checkingFiles, let source, let mode = Self.permissions(of: source), mode & 0o037 != 0 {
                text += ". \(source) has mode \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4)), which lets others read it: chmod 0600 \(source)"
            }
            warnings.append(text)
        }
        if let mountPointBase {
            warnings.append(
                "glusterfs_mount_point_base (\(mountPointBase)) is accepted for Manila compatibility but unused: gshare wipes volumes through libgfapi, without mounting them"
            )
        }
        if checkingFiles {
            var files: [(String, String)] = []
            if let privateKeyPath { files.append(("glusterfs_path_to_private_key", privateKeyPath)) }
            if case .file(let path) = serverPassword { files.append(("glusterfs_server_password", path)) }
            if let manager {
                files += [("manager_cert", manager.certificate), ("manager_key", manager.privateKey), ("manager_ca", manager.certificateAuthorities)]
            }
            if let tenantCA { files.append(("tenant_ca", tenantCA)) }
            if let tenantCRLDirectory { files.append(("tenant_crl_dir", tenantCRLDirectory)) }
            for (key, path) in files where !FileManager.default.fileExists(atPath: path) {
                warnings.append("\(key): \(path) does not exist")
            }
            if !allServers.filter(\.runsLocally).isEmpty, !FileManager.default.isExecutableFile(atPath: glusterCommand) {
                warnings.append("gluster_cli: \(glusterCommand) is not an executable file on this machine, and some servers run the CLI locally")
            }
        }
        return warnings
    }

    static func permissions(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}

/// Which configuration file gshare uses, and why.
public struct ConfigLocation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Why this file was chosen, in the order gshare looks.
    public enum Reason: String, Sendable, Codable, CustomStringConvertible {
        /// Given with `--config`.
        case flag
        /// Named by `$GSHARE_CONFIG`.
        case environment
        /// `gshare.toml` in the current folder.
        case currentDirectory = "current-directory"
        /// `/etc/gshare/gshare.toml`.
        case system

        /// How a person would say it: "given with --config", ….
        public var description: String {
            switch self {
            case .flag: "given with --config"
            case .environment: "named by $\(GShareConfig.environmentVariable)"
            case .currentDirectory: "found in the current folder"
            case .system: "the system-wide file"
            }
        }
    }

    /// The file (absolute).
    public let path: String
    /// Why it was chosen.
    public let reason: Reason

    /// A location.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// `PATH (why)`.
    public var description: String { "\(path) (\(reason))" }
}

extension GShareConfig {
    /// The variable that names the configuration file when `--config` is not given.
    public static let environmentVariable = "GSHARE_CONFIG"
    /// The file name looked for in the current folder.
    public static let fileName = "gshare.toml"
    /// The system-wide configuration file.
    public static let systemPath = "/etc/gshare/gshare.toml"

    /// Finds the configuration file: `explicit` (from `--config`), else `$GSHARE_CONFIG`,
    /// else `./gshare.toml`, else `/etc/gshare/gshare.toml`. An explicit or environment
    /// path is returned whether or not it exists (loading it then says so); the other two
    /// are used only when they exist.
    ///
    /// - Parameters:
    ///   - explicit: the `--config` value, if any.
    ///   - environment: the variables to read `GSHARE_CONFIG` from.
    ///   - currentDirectory: the folder relative paths and `./gshare.toml` are relative to.
    ///   - systemPath: the system-wide file (a parameter for tests).
    /// - Throws: ``GShareConfigError/Code-swift.struct/notFound`` listing where it looked.
    public static func locate(
        explicit: String?, environment: [String: String], currentDirectory: String, systemPath: String = GShareConfig.systemPath
    ) throws(GShareConfigError) -> ConfigLocation {
        func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).standardizedFileURL.path
        }
        if let explicit {
            guard !explicit.isEmpty else {
                throw GShareConfigError(.notFound, message: "--config is empty", hint: "give the path of a gshare.toml")
            }
            return ConfigLocation(path: absolute(explicit), reason: .flag)
        }
        if let named = environment[environmentVariable], !named.isEmpty {
            return ConfigLocation(path: absolute(named), reason: .environment)
        }
        let local = absolute(fileName)
        if isRegularFile(local) { return ConfigLocation(path: local, reason: .currentDirectory) }
        if isRegularFile(systemPath) { return ConfigLocation(path: systemPath, reason: .system) }
        throw GShareConfigError(
            .notFound,
            message: "no configuration: --config was not given, $\(environmentVariable) is not set, and neither \(local) nor \(systemPath) exists",
            hint: "give one with --config FILE (docs/gshare.example.toml documents every key)")
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}

/// The unit share sizes are counted in.
public enum ShareSizeUnit: String, Sendable, Codable, CaseIterable {
    /// 2^30 bytes: Manila's gigabyte and the pattern's `#{size}`. The default.
    case gibibyte = "GiB"
    /// 2^20 bytes, for test labs (`share_size_unit = "MiB"`): sizes small enough to fill in
    /// seconds. Never for real shares: Manila and the pattern count in GiB.
    case mebibyte = "MiB"

    /// Bytes per unit.
    public var bytes: Int64 { self == .gibibyte ? 1 << 30 : 1 << 20 }
    /// `GiB` or `MiB`, for messages.
    public var symbol: String { rawValue }

    /// A volume's pattern size (`#{size}`, always GiB) in this unit.
    public func units(ofGiB size: Int?) -> Int? { size.map { $0 * Int((1 << 30) / bytes) } }
}

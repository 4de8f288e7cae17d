//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import TenantPKI

/// The `--json` form of `gshare config check`: the effective configuration under the
/// configuration file's own key names, secrets masked.
struct ConfigDocument: Codable {
    struct File: Codable {
        let path: String
        /// `flag`, `environment`, `current-directory` or `system`.
        let reason: String
        /// The reason in words.
        let why: String
    }

    /// The effective value of every key (defaults filled in, paths absolute), under the
    /// configuration file's key names.
    struct Settings: Codable {
        let targets: [String]
        let servers: [String]
        let volumePattern: String?
        let privateKeyPath: String?
        /// `env:NAME`, `file:PATH` or `***inline***`: never the password.
        let serverPassword: String?
        let mountPointBase: String?
        let managerCertificate: String?
        let managerKey: String?
        let managerCA: String?
        let systemCNs: [String]
        let tenantCA: String?
        let stateDirectory: String
        let glusterCommand: String
        let glusterdWorkdir: String
        let privateKeyPassphrase: String?
        let knownHostsPath: String
        let remoteGlusterCommand: [String]
        let commandTimeoutSeconds: Int64
        let tenantCRLDirectory: String?
        let expiryWarningDays: Int
        let managementTLS: Bool

        enum CodingKeys: String, CodingKey {
            case targets = "glusterfs_targets"
            case servers = "glusterfs_servers"
            case volumePattern = "glusterfs_volume_pattern"
            case privateKeyPath = "glusterfs_path_to_private_key"
            case serverPassword = "glusterfs_server_password"
            case mountPointBase = "glusterfs_mount_point_base"
            case managerCertificate = "manager_cert"
            case managerKey = "manager_key"
            case managerCA = "manager_ca"
            case systemCNs = "system_cns"
            case tenantCA = "tenant_ca"
            case stateDirectory = "state_dir"
            case glusterCommand = "gluster_cli"
            case glusterdWorkdir = "glusterd_workdir"
            case privateKeyPassphrase = "glusterfs_private_key_passphrase"
            case knownHostsPath = "ssh_known_hosts"
            case remoteGlusterCommand = "remote_gluster_cli"
            case commandTimeoutSeconds = "command_timeout_seconds"
            case tenantCRLDirectory = "tenant_crl_dir"
            case expiryWarningDays = "expiry_warning_days"
            case managementTLS = "glusterfs_management_tls"
        }
    }

    let valid: Bool
    let file: File
    let config: Settings
    /// Every server gshare will ask (targets' servers and glusterfs_servers, de-duplicated).
    let servers: [String]
    let warnings: [String]

    init(location: ConfigLocation, config: GShareConfig, warnings: [String]) {
        valid = true
        file = File(path: location.path, reason: location.reason.rawValue, why: location.reason.description)
        self.config = Settings(
            targets: config.targets.map(\.description), servers: config.servers.map(\.description),
            volumePattern: config.volumePattern?.source, privateKeyPath: config.privateKeyPath,
            serverPassword: config.serverPassword?.description, mountPointBase: config.mountPointBase,
            managerCertificate: config.manager?.certificate, managerKey: config.manager?.privateKey,
            managerCA: config.manager?.certificateAuthorities, systemCNs: config.systemCNs.map(\.value), tenantCA: config.tenantCA,
            stateDirectory: config.stateDirectory, glusterCommand: config.glusterCommand, glusterdWorkdir: config.glusterdWorkdir,
            privateKeyPassphrase: config.privateKeyPassphrase?.description, knownHostsPath: config.knownHostsPath,
            remoteGlusterCommand: config.remoteGlusterCommand,
            commandTimeoutSeconds: config.commandTimeout.components.seconds, tenantCRLDirectory: config.tenantCRLDirectory,
            expiryWarningDays: config.expiryWarningDays, managementTLS: config.managementTLS)
        servers = config.allServers.map(\.description)
        self.warnings = warnings
    }
}

/// The `--json` form of a configuration that could not be used.
struct ConfigErrorDocument: Encodable {
    let valid: Bool
    let error: ErrorDocument.Entry

    init(_ error: WorkflowError) {
        valid = false
        self.error = ErrorDocument.Entry(error)
    }
}

/// Human-readable rendering of `gshare config check`.
enum ConfigText {
    static func render(_ document: ConfigDocument) -> String {
        let settings = document.config
        var lines = ["\(document.file.path): valid (\(document.file.why))"]
        var rows: [(key: String, values: [String])] = []
        func row(_ key: String, _ values: [String]) { rows.append((key, values)) }
        func table() {
            // the key column as wide as the longest key, plus ": "
            let width = (rows.map(\.key.count).max() ?? 0) + 4
            for (key, values) in rows {
                let label = "  \(key):".padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append(label + (values.first ?? "-"))
                lines += values.dropFirst().map { String(repeating: " ", count: width) + $0 }
            }
        }
        func row(_ key: String, _ value: String?) { row(key, value.map { [$0] } ?? []) }
        row("glusterfs_targets", settings.targets)
        row("glusterfs_servers", settings.servers)
        row("glusterfs_volume_pattern", settings.volumePattern)
        row("glusterfs_path_to_private_key", settings.privateKeyPath)
        row("glusterfs_server_password", settings.serverPassword)
        row("glusterfs_mount_point_base", settings.mountPointBase.map { "\($0) (unused: wipe uses libgfapi)" })
        row("manager_cert", settings.managerCertificate)
        row("manager_key", settings.managerKey)
        row("manager_ca", settings.managerCA)
        row("system_cns", settings.systemCNs)
        row("tenant_ca", settings.tenantCA)
        row("tenant_crl_dir", settings.tenantCRLDirectory)
        row("state_dir", settings.stateDirectory)
        row("gluster_cli", settings.glusterCommand)
        row("glusterd_workdir", settings.glusterdWorkdir)
        row("glusterfs_private_key_passphrase", settings.privateKeyPassphrase)
        row("ssh_known_hosts", settings.knownHostsPath)
        row("remote_gluster_cli", settings.remoteGlusterCommand.joined(separator: " "))
        row("command_timeout_seconds", "\(settings.commandTimeoutSeconds)")
        row("expiry_warning_days", "\(settings.expiryWarningDays)")
        row("glusterfs_management_tls", "\(settings.managementTLS)")
        table()
        lines.append("")
        lines.append("servers gshare will ask: \(document.servers.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver
import TenantPKI

/// Where a front end looks for gshare.toml: an explicit path (`--config`), the environment
/// (`GSHARE_CONFIG`), the current folder, then `/etc/gshare/gshare.toml`.
public struct ConfigurationSource: Sendable {
    public var explicit: String?
    public var environment: [String: String]
    public var currentDirectory: String

    public init(explicit: String?, environment: [String: String], currentDirectory: String) {
        self.explicit = explicit
        self.environment = environment
        self.currentDirectory = currentDirectory
    }
}

/// A configuration, found and read.
public struct LoadedConfiguration: Sendable {
    public let location: ConfigLocation
    public let config: GShareConfig
    /// What is legal but unwise (an inline password, a state folder others can read…).
    public var warnings: [String] { config.warnings() }
}

/// Finding and reading gshare.toml, and the settings of commands that work without one.
public enum ConfigurationWorkflow {
    /// Finds and reads the configuration.
    /// - Throws: ``WorkflowError`` naming the file, line and key, and the fix.
    public static func load(_ source: ConfigurationSource) throws(WorkflowError) -> LoadedConfiguration {
        do {
            let location = try GShareConfig.locate(
                explicit: source.explicit, environment: source.environment, currentDirectory: source.currentDirectory)
            return LoadedConfiguration(location: location, config: try GShareConfig.load(fileAt: location.path, environment: source.environment))
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Finds, reads and checks the configuration (`gshare config check`): besides what every
    /// command checks when it reads it, two targets that are one volume on one host spelt
    /// differently are refused (gshare would keep two records of one volume).
    public static func check(_ source: ConfigurationSource, resolve: (String) -> Set<String> = HostAddresses.of) throws(WorkflowError)
        -> LoadedConfiguration
    {
        let loaded = try load(source)
        if let (first, second) = loaded.config.sameVolumeSpellings(resolve: resolve).first {
            let shared = resolve(first.server.host).intersection(resolve(second.server.host)).sorted()
            throw WorkflowError(
                WorkflowError.Code("duplicate-entry"), .failed, subject: loaded.location.path,
                message: "\(loaded.location.path): glusterfs_targets: \"\(first)\" and \"\(second)\" are one volume on one host"
                    + (shared.isEmpty ? "" : " (\(shared.joined(separator: ", ")))") + ", spelt two ways",
                fix: "keep one of them (gshare keys a volume by its ID; two spellings would be two records of one volume)",
                location: SourceLocation(file: loaded.location.path, key: "glusterfs_targets"))
        }
        return loaded
    }

    /// The known_hosts file: the configuration's `ssh_known_hosts`, or `~/.ssh/known_hosts`
    /// when there is no configuration at all. An invalid configuration is an error.
    public static func knownHostsPath(_ source: ConfigurationSource) throws(WorkflowError) -> String {
        try optional(source)?.config.knownHostsPath ?? GShareConfig.defaultKnownHostsPath(environment: source.environment)
    }

    /// The state folder whose audit log records changes made without a configuration (PKI
    /// revocations, trusted host keys): the configuration's `state_dir`, or the default
    /// state folder when there is no configuration at all.
    public static func auditStateDirectory(_ source: ConfigurationSource) throws(WorkflowError) -> String {
        try optional(source)?.config.stateDirectory ?? GShareConfig.defaultStateDirectory(environment: source.environment)
    }

    /// The system CNs of the configuration, when there is one; empty when there is none.
    public static func systemCommonNames(_ source: ConfigurationSource) throws(WorkflowError) -> [String] {
        try optional(source)?.config.systemCNs.map(\.value) ?? []
    }

    /// The configuration if there is one; nil when none is found where gshare looks.
    static func optional(_ source: ConfigurationSource) throws(WorkflowError) -> LoadedConfiguration? {
        do {
            let location = try GShareConfig.locate(
                explicit: source.explicit, environment: source.environment, currentDirectory: source.currentDirectory)
            return LoadedConfiguration(location: location, config: try GShareConfig.load(fileAt: location.path, environment: source.environment))
        } catch where error.code == .notFound {
            return nil
        } catch {
            throw WorkflowError(error)
        }
    }
}

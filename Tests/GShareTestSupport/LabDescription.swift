//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

public import Foundation

/// The real TLS GlusterFS lab started by `scripts/gluster-lab up`, as its lab.json
/// describes it (`/var/tmp/gshare-lab/lab.json`, or `GSHARE_LAB_JSON`). Integration tests
/// load it and FAIL (never skip) when it is missing.
public struct LabDescription: Decodable, Sendable {
    public struct Identity: Decodable, Sendable {
        public let cert: String
        public let key: String
        public let ca: String
    }

    public struct PoolVolume: Decodable, Sendable {
        public let name: String
        public let sizeGB: Int
    }

    public let host: String
    public let serverCN: String
    public let managerCN: String
    public let tenantRoot: String
    /// The pid file of the lab's glusterd.
    public let glusterdPidFile: String
    public let identities: [String: Identity]
    public let nodeRoot: String
    public let pool: [PoolVolume]
    /// Test volumes by role: access, wipe, stopped, plain, maybe.
    public let volumes: [String: String]

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    public static var path: String {
        ProcessInfo.processInfo.environment["GSHARE_LAB_JSON"] ?? "/var/tmp/gshare-lab/lab.json"
    }

    /// The lab, or an error that says how to start it.
    public static func load() throws -> LabDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "no GlusterFS lab: \(path) is missing — run scripts/gluster-lab up")
        }
        do {
            return try JSONDecoder().decode(LabDescription.self, from: data)
        } catch {
            throw Missing(description: "\(path) cannot be read (\(error)) — run scripts/gluster-lab up")
        }
    }

    /// The identity called `name` (tenant-a, gshare-manager, …).
    public func identity(named name: String) throws -> Identity {
        guard let identity = identities[name] else {
            throw Missing(description: "lab.json has no identity \(name) — run scripts/gluster-lab up")
        }
        return identity
    }

    /// The test volume playing `role`.
    public func volume(_ role: String) throws -> String {
        guard let name = volumes[role] else {
            throw Missing(description: "lab.json has no \(role) volume — run scripts/gluster-lab up")
        }
        return name
    }

    /// Writes a gshare.toml for this lab whose pool is exactly `targets` (volume names on
    /// the lab's host), with the lab's system CNs, gshare's identity and tenant root, and the
    /// given state folder (processes that must share volume locks share it). Tests give each
    /// scenario its own pool volumes, so suites running in parallel never compete for them.
    public func writeConfig(targets: [String], stateDirectory: URL, in folder: URL, extra: String = "") throws -> String {
        let manager = try identity(named: managerCN)
        // A bare volume name is on the lab's host (local CLI); a full target is used as written.
        let quoted = targets.map { $0.contains(":/") ? "\"\($0)\"" : "\"\(host):/\($0)\"" }.joined(separator: ", ")
        let text = """
            glusterfs_targets = [\(quoted)]
            system_cns = ["\(serverCN)", "\(managerCN)"]
            manager_cert = "\(manager.cert)"
            manager_key = "\(manager.key)"
            manager_ca = "\(manager.ca)"
            tenant_ca = "\(tenantRoot)"
            state_dir = "\(stateDirectory.path)"
            \(extra)
            """
        let path = folder.appendingPathComponent("gshare-\(UUID().uuidString.prefix(8)).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

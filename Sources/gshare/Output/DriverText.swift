//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GShareDoctor
import GlusterDriver

/// `gshare pool list --json`.
struct PoolListDocument: Codable {
    struct Volume: Codable {
        let volume: String
        /// Its identity (glusterd's volume ID): what gshare keys locks and marks by.
        let volumeID: String
        let target: String
        let exportLocation: String
        /// The volume's other nodes, for `backup-volfile-servers` (empty on one node).
        let backupVolfileServers: [String]
        /// The hosts holding its bricks.
        let nodes: [String]
        let sizeGB: Int?
        let status: String
        /// free, in use, needs-wipe, unknown state …
        let state: String
        let shareID: String?
        let shareName: String?
        let tlsReady: Bool
        let problems: [String]
    }
    let volumes: [Volume]
    let missingTargets: [String]
    /// Nodes that did not answer while another node of their cluster did.
    let passedOver: [String]

    init(_ inventory: PoolInventory) {
        volumes = inventory.volumes.map { volume in
            Volume(
                volume: volume.name, volumeID: volume.info.id, target: volume.target.description, exportLocation: volume.exportLocation,
                backupVolfileServers: volume.backupVolfileServers, nodes: volume.nodes, sizeGB: volume.sizeGB,
                status: volume.info.status.rawValue, state: volume.state.label, shareID: volume.marks.shareID, shareName: volume.marks.name,
                tlsReady: volume.posture.isReady, problems: volume.posture.problems.map(\.name))
        }
        missingTargets = inventory.missingTargets.map(\.description)
        passedOver = inventory.passedOver
    }
}

/// `gshare pool check --json`.
struct PoolCheckDocument: Codable {
    let volumes: [TLSPosture]
    let ready: Int
    let notReady: Int
    /// The nodes' own CNs against system_cns (the doctor's node findings).
    let nodeFindings: [DoctorFinding]

    init(_ check: PoolCheck) {
        volumes = check.volumes.map(\.posture)
        ready = check.ready
        notReady = check.notReady
        nodeFindings = check.nodeFindings
    }
}

/// `gshare share list --json`.
struct ShareListDocument: Codable {
    let shares: [Share]
}

enum DriverText {
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    static func size(_ sizeGB: Int?) -> String { sizeGB.map { "\($0)G" } ?? "-" }

    static func poolList(_ inventory: PoolInventory) -> String {
        // A NODES column only when some volume lives on several nodes (a cluster).
        let clustered = inventory.volumes.contains { $0.nodes.count > 1 }
        var rows = [["VOLUME", "SIZE", "STATUS", "STATE", "TLS", "SHARE"] + (clustered ? ["NODES"] : [])]
        for volume in inventory.volumes {
            let tls = volume.posture.isReady ? "ready" : "NOT READY (\(volume.posture.problems.map(\.name).joined(separator: ", ")))"
            let share = volume.marks.shareID.map { id in volume.marks.name.map { "\(id) (\($0))" } ?? id } ?? "-"
            rows.append(
                [volume.exportLocation, size(volume.sizeGB), volume.info.status.rawValue, volume.state.label, tls, share]
                    + (clustered ? [volume.nodes.joined(separator: ",")] : []))
        }
        var text = table(rows)
        if inventory.volumes.isEmpty { text = "the pool has no volumes (check glusterfs_targets / glusterfs_volume_pattern)" }
        for node in inventory.passedOver {
            text += "\nwarning: not reached, another node of its pool answered: \(node)"
        }
        for missing in inventory.missingTargets {
            text += "\nwarning: target \(missing) does not exist on its server"
        }
        let free = inventory.volumes.filter(\.isAvailable).count
        text += "\n\(inventory.volumes.count) volumes, \(free) free and ready"
        return text
    }

    static func posture(_ posture: TLSPosture, export: String) -> String {
        var lines = ["\(export): \(posture.isReady ? "READY" : "NOT READY")"]
        for check in posture.checks {
            let mark = check.passed ? "ok  " : "FAIL"
            lines.append("  \(mark) \(check.name): \(check.found)")
            if !check.passed {
                if let problem = check.problem { lines.append("       \(problem)") }
                if let fix = check.fix { lines.append("       fix: \(fix)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func check(_ check: PoolCheck) -> String {
        var lines = check.volumes.map { posture($0.posture, export: $0.exportLocation) } + ["\(check.ready) ready, \(check.notReady) not ready"]
        for finding in check.nodeFindings {
            lines.append("\(finding.severity.rawValue.uppercased()) [\(finding.code)] \(finding.message)")
            lines.append("    fix: \(finding.fix)")
        }
        return lines.joined(separator: "\n")
    }

    static func prepared(_ result: PrepareResult, asked volume: String) -> String {
        var lines: [String] = []
        if result.applied.isEmpty {
            lines.append("\(result.volume): nothing to set")
        } else {
            lines.append("\(result.volume): set " + result.applied.map(\.description).joined(separator: " "))
        }
        if result.restarted { lines.append("\(result.volume): restarted (stop + start)") }
        if result.restartNeeded {
            lines.append("\(result.volume): server.ssl takes effect only after a restart: gshare pool prepare \(volume) --restart (disconnects clients)")
        }
        lines.append("\(result.volume): \(result.readyAfter ? "READY" : "NOT READY (gshare pool check \(volume))")")
        return lines.joined(separator: "\n")
    }

    static func created(_ share: Share) -> String {
        "created " + self.share(share) + "\nnext: gshare access allow \(share.name ?? share.id) --cert TENANT.pem"
    }

    static func deleted(_ result: DeleteResult) -> String {
        result.deleted
            ? "deleted share \(result.shareID): \(result.volume) wiped (\(result.filesRemoved) files, \(result.directoriesRemoved) directories) and back in the pool"
            : "share \(result.shareID) was already deleted (\(result.volume) is back in the pool): nothing to do"
    }

    static func share(_ share: Share) -> String {
        var lines = [
            "share \(share.id)" + (share.name.map { " (\($0))" } ?? ""),
            "  export:   \(share.exportLocation)" + (share.mountOptions.map { "  (mount -o \($0))" } ?? ""),
            "  volume:   \(share.target)" + (share.volumeSizeGB.map { ", \($0)G" } ?? ", unsized"),
            "  size:     " + (share.sizeRecorded ? "\(share.sizeGB ?? 0) GiB (quota)" : "unknown (made before sizes were enforced)"),
            "  state:    \(share.state)" + (share.postureReady ? "" : " — TLS posture NOT READY (gshare pool check)"),
        ]
        if let created = share.created { lines.append("  created:  \(created)") }
        lines.append("  access:   " + (share.access.isEmpty ? "(none)" : share.access.map { "\($0.name) [\($0.kind.rawValue)]" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    static func shareList(_ shares: [Share]) -> String {
        guard !shares.isEmpty else { return "no shares (create one: gshare share create --size GB)" }
        var rows = [["SHARE", "NAME", "EXPORT", "SIZE", "STATE", "TENANTS"]]
        for share in shares {
            let tenants = share.access.filter { $0.kind != .system }.map(\.name)
            rows.append([share.id, share.name ?? "-", share.exportLocation, size(share.sizeGB), share.state, tenants.isEmpty ? "-" : tenants.joined(separator: ",")])
        }
        return table(rows)
    }

    static func accessList(_ share: Share) -> String {
        var rows = [["CN", "KIND"]]
        for entry in share.access { rows.append([entry.name, entry.kind.rawValue]) }
        return "share \(share.id) on \(share.exportLocation)\n" + table(rows)
    }

    static func change(_ change: AccessChange) -> String {
        let verb = change.action == .allow ? "allowed" : "denied"
        var text: String
        if change.restartNeeded {
            text = "\(verb) \(change.commonName) in auth.ssl-allow of share \(change.share) (\(change.volume)), NOT YET ENFORCED: "
                + "the running bricks ignore the change until restarted\n  auth.ssl-allow: \(change.before) -> \(change.after)"
        } else if change.changed {
            text = "\(verb) \(change.commonName) on share \(change.share) (\(change.volume))\n  auth.ssl-allow: \(change.before) -> \(change.after)"
        } else {
            let state = change.action == .allow ? "already allowed" : "not in the list"
            text = "\(change.commonName) is \(state) on share \(change.share) (\(change.volume)): nothing to change\n  auth.ssl-allow: \(change.after)"
        }
        for warning in change.warnings { text += "\nwarning: \(warning)" }
        return text
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

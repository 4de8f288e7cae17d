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
        /// With --usage: size, used and free bytes (shares), capacity (unsized free volumes).
        let usage: VolumeUsage?
    }
    /// The free capacity: free, TLS-ready volumes counted by size.
    struct FreeCapacity: Codable {
        /// Size (in ``unit``) → how many free volumes have it.
        let volumesBySize: [String: Int]
        /// Free volumes without a pattern size (their capacity only with --usage).
        let unsizedVolumes: Int
        /// The sum of the sized ones (and, with --usage, of the unsized ones' bricks), in bytes.
        let totalBytes: Int64
    }
    let volumes: [Volume]
    let missingTargets: [String]
    /// Nodes that did not answer while another node of their cluster did.
    let passedOver: [String]
    /// The unit of `sizeGB`: GiB (MiB only in a test lab).
    let sizeUnit: String
    let freeCapacity: FreeCapacity

    init(_ inventory: PoolInventory, usages: [String: VolumeUsage]?, unit: ShareSizeUnit) {
        volumes = inventory.volumes.map { volume in
            Volume(
                volume: volume.name, volumeID: volume.info.id, target: volume.target.description, exportLocation: volume.exportLocation,
                backupVolfileServers: volume.backupVolfileServers, nodes: volume.nodes, sizeGB: volume.sizeGB,
                status: volume.info.status.rawValue, state: volume.state.label, shareID: volume.marks.shareID, shareName: volume.marks.name,
                tlsReady: volume.posture.isReady, problems: volume.posture.problems.map(\.name), usage: usages?[volume.info.id])
        }
        missingTargets = inventory.missingTargets.map(\.description)
        passedOver = inventory.passedOver
        sizeUnit = unit.symbol
        let summary = DriverText.freeCapacity(inventory, usages: usages ?? [:], unit: unit)
        freeCapacity = FreeCapacity(
            volumesBySize: Dictionary(uniqueKeysWithValues: summary.bySize.map { (String($0.size), $0.count) }), unsizedVolumes: summary.unsized,
            totalBytes: summary.totalBytes)
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

    /// A size in `unit`: `2G` (GiB) or `64M` (MiB, a test lab).
    static func size(_ size: Int?, _ unit: ShareSizeUnit) -> String { size.map { "\($0)\(unit == .gibibyte ? "G" : "M")" } ?? "-" }

    /// Bytes for people: `1.5 GiB`, `300.0 MiB`, `12 KiB`, `0 B`.
    static func bytes(_ count: Int64) -> String {
        let units: [(String, Int64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (name, size) in units where count >= size {
            return String(format: "%.1f %@", Double(count) / Double(size), name)
        }
        return "\(count) B"
    }

    /// `used 1.2 GiB of 2.0 GiB (60 %), 0.8 GiB free`, with the soft-limit warning, or why
    /// it is not known.
    static func usageLine(_ usage: VolumeUsage?, sizeRecorded: Bool) -> String {
        guard let usage else { return "usage: not read" }
        var text: String
        if let used = usage.usedBytes, let size = usage.sizeBytes, let free = usage.freeBytes {
            let percent = size > 0 ? Int(Double(used) * 100 / Double(size)) : 0
            text = "used \(bytes(used)) of \(bytes(size)) (\(percent) %), \(bytes(free)) free"
            if usage.source == .bricks { text += " (the bricks' file systems: no quota)" }
            if usage.overSoftLimit { text += " — OVER ITS SOFT LIMIT (\(usage.softLimitPercent) %)" }
        } else if let problem = usage.problem {
            text = "usage unknown: \(problem)"
        } else {
            text = "usage unknown"
        }
        if !sizeRecorded { text += "; size unknown (made before sizes were enforced: gshare share resize SHARE SIZE gives it one)" }
        return "usage: " + text
    }

    /// Free, TLS-ready volumes by size; unsized ones counted apart (their bricks' capacity
    /// in the total when `usages` has it).
    static func freeCapacity(_ inventory: PoolInventory, usages: [String: VolumeUsage], unit: ShareSizeUnit)
        -> (bySize: [(size: Int, count: Int)], unsized: Int, totalBytes: Int64)
    {
        let free = inventory.volumes.filter(\.isAvailable)
        let counts = Dictionary(grouping: free.compactMap(\.sizeGB), by: { $0 }).mapValues(\.count)
        var total = free.compactMap(\.sizeGB).reduce(Int64(0)) { $0 + Int64($1) * unit.bytes }
        let unsized = free.filter { $0.sizeGB == nil }
        total += unsized.compactMap { usages[$0.info.id]?.sizeBytes }.reduce(0, +)
        return (counts.sorted { $0.key < $1.key }.map { (size: $0.key, count: $0.value) }, unsized.count, total)
    }

    static func poolList(_ inventory: PoolInventory, usages: [String: VolumeUsage]?, unit: ShareSizeUnit) -> String {
        // A NODES column only when some volume lives on several nodes (a cluster).
        let clustered = inventory.volumes.contains { $0.nodes.count > 1 }
        let withUsage = usages != nil
        var rows = [["VOLUME", "SIZE", "STATUS", "STATE", "TLS", "SHARE"] + (withUsage ? ["USED", "FREE"] : []) + (clustered ? ["NODES"] : [])]
        for volume in inventory.volumes {
            let tls = volume.posture.isReady ? "ready" : "NOT READY (\(volume.posture.problems.map(\.name).joined(separator: ", ")))"
            let share = volume.marks.shareID.map { id in volume.marks.name.map { "\(id) (\($0))" } ?? id } ?? "-"
            let usage = usages?[volume.info.id]
            var sizeText = size(volume.marks.sizeGiB ?? volume.sizeGB, unit)
            if volume.sizeGB == nil, volume.marks.sizeGiB == nil, let capacity = usage?.sizeBytes { sizeText = bytes(capacity) }
            var usageColumns: [String] = []
            if withUsage {
                usageColumns = [
                    usage?.usedBytes.map(bytes) ?? "-",
                    usage?.freeBytes.map { bytes($0) + (usage?.overSoftLimit == true ? " (over soft limit)" : "") } ?? (usage?.problemCode ?? "-"),
                ]
            }
            rows.append(
                [volume.exportLocation, sizeText, volume.info.status.rawValue, volume.state.label, tls, share] + usageColumns
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
        let capacity = freeCapacity(inventory, usages: usages ?? [:], unit: unit)
        if free > 0 {
            var parts = capacity.bySize.map { "\($0.count) × \(size($0.size, unit))" }
            if capacity.unsized > 0 { parts.append("\(capacity.unsized) unsized" + (withUsage ? "" : " (--usage reads their capacity)")) }
            text += "\nfree capacity: \(bytes(capacity.totalBytes)) (\(parts.joined(separator: ", ")))"
        }
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
            "  volume:   \(share.target)" + (share.volumeSizeGB.map { ", \($0) \(share.sizeUnit)" } ?? ", unsized"),
            "  size:     "
                + (share.sizeRecorded
                    ? "\(share.sizeGB ?? 0) \(share.sizeUnit) (quota)"
                    : "unknown (made before sizes were enforced; gshare share resize \(share.name ?? share.id) SIZE gives it one)"),
            "  state:    \(share.state)" + (share.postureReady ? "" : " — TLS posture NOT READY (gshare pool check)"),
        ]
        if share.usage != nil { lines.append("  " + usageLine(share.usage, sizeRecorded: true).replacingOccurrences(of: "usage: ", with: "usage:    ")) }
        if let created = share.created { lines.append("  created:  \(created)") }
        lines.append("  access:   " + (share.access.isEmpty ? "(none)" : share.access.map { "\($0.name) [\($0.kind.rawValue)]" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    static func shareList(_ shares: [Share], usage: Bool = false) -> String {
        guard !shares.isEmpty else { return "no shares (create one: gshare share create --size GB)" }
        var rows = [["SHARE", "NAME", "EXPORT", "SIZE"] + (usage ? ["USED", "FREE"] : []) + ["STATE", "TENANTS"]]
        for share in shares {
            let tenants = share.access.filter { $0.kind != .system }.map(\.name)
            let sizeText = share.sizeGB.map { "\($0)\(share.sizeUnit == "GiB" ? "G" : "M")" + (share.sizeRecorded ? "" : "?") } ?? "-"
            let usageColumns =
                usage
                ? [share.usage?.usedBytes.map(bytes) ?? "-", share.usage?.freeBytes.map { bytes($0) + (share.usage?.overSoftLimit == true ? " (over soft limit)" : "") } ?? "-"]
                : []
            rows.append(
                [share.id, share.name ?? "-", share.exportLocation, sizeText] + usageColumns
                    + [share.state, tenants.isEmpty ? "-" : tenants.joined(separator: ",")])
        }
        var text = table(rows)
        if shares.contains(where: { !$0.sizeRecorded }) { text += "\n?: size unknown (made before sizes were enforced; gshare share resize SHARE SIZE)" }
        return text
    }

    static func resized(_ result: ResizeResult) -> String {
        var text =
            result.changed
            ? "resized share \(result.shareID) (\(result.volume)): \(result.sizeBefore.map { "\($0) \(result.unit)" } ?? "no size") -> \(result.size) \(result.unit)"
            : "share \(result.shareID) (\(result.volume)) has \(result.size) \(result.unit) already: nothing to change"
        if let used = result.usedBytes { text += "\n  used: \(bytes(used)) of \(bytes(result.sizeBytes))" }
        for warning in result.warnings { text += "\nwarning: \(warning)" }
        return text
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

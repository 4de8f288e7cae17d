//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import GlusterDriver
import GShareWorkflows

/// Human-readable rendering of `gshare status` and `gshare doctor`.
enum DoctorText {
    static func status(_ report: StatusReport) -> String {
        var lines: [String] = []
        if report.shares.isEmpty { lines.append("no shares") }
        for share in report.shares {
            let size = share.sizeGB.map { " \($0) \(report.sizeUnit)" } ?? ""
            let name = share.name.map { " (\($0))" } ?? ""
            lines.append("share \(share.id)\(name): \(share.export)\(size), \(share.state)\(share.tlsReady ? "" : ", TLS NOT READY")")
            lines.append("    " + DriverText.usageLine(share.usage, sizeRecorded: share.sizeRecorded))
            for entry in share.entries {
                let who = entry.kind == .tenant ? "tenant \(entry.tenant ?? "?")" : entry.kind.rawValue
                lines.append("    \(entry.name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(who)")
            }
        }
        lines.append("")
        lines.append("free volumes: \(report.freeVolumes.isEmpty ? "none" : "")")
        for volume in report.freeVolumes {
            let size = volume.sizeGB.map { " \($0)G" } ?? ""
            lines.append(
                "    \(volume.export)\(size): " + (volume.tlsReady ? "ready" : "not ready (\(volume.problems.joined(separator: ", ")); gshare pool check)"))
        }
        if !report.volumesNeedingWipe.isEmpty {
            lines.append("volumes waiting for a wipe:")
            lines += report.volumesNeedingWipe.map { "    \($0.volume): \($0.fix)" }
        }
        if !report.volumesInUnknownState.isEmpty {
            lines.append("volumes in a state gshare does not know (left alone):")
            lines += report.volumesInUnknownState.map { "    \($0)" }
        }
        if !report.missingTargets.isEmpty {
            lines.append("configured targets their server does not have: \(report.missingTargets.joined(separator: ", "))")
        }
        lines += clusters(report.clusters)
        return lines.joined(separator: "\n")
    }

    /// Each pool's nodes, bricks down and cluster lock, for `status`.
    static func clusters(_ clusters: [ClusterHealth]) -> [String] {
        var lines: [String] = []
        for cluster in clusters {
            lines.append("")
            let nodes = cluster.nodeCount.map { "\($0) node\($0 == 1 ? "" : "s")" } ?? "nodes unknown"
            let away = cluster.disconnectedPeers.isEmpty ? "all connected" : "DISCONNECTED: \(cluster.disconnectedPeers.joined(separator: ", "))"
            lines.append("pool of \(cluster.answered): \(nodes), \(away)")
            for volume in cluster.volumes {
                lines.append(
                    "    \(volume.volume): \(volume.bricksDown.count) of \(volume.bricks) bricks down (\(volume.bricksDown.joined(separator: ", ")))"
                        + (volume.serving ? ", still serving" : ", NOT SERVING CLIENTS (a replica set lost its quorum)"))
            }
            let lock = cluster.lockVolume
            let lockLine: String
            if !lock.present {
                lockLine = "local to this host (no volume \(lock.name): changes are safe from one host only)"
            } else if !lock.started || lock.admitsManager == false {
                lockLine = "\(lock.name), UNUSABLE (\(!lock.started ? "not started" : "gshare's CN not in its auth.ssl-allow")): changes fail"
            } else {
                lockLine = "\(lock.name) (cluster-wide)" + (lock.tls ? "" : ", without TLS: anyone reaching it can hold the locks")
            }
            lines.append("    cluster lock: \(lockLine)")
            lines += cluster.problems.map { "    could not read \($0)" }
        }
        return lines
    }

    static func doctor(_ report: DoctorReport, fixes: [FixOutcome], fixing: Bool) -> String {
        var lines: [String] = []
        if !fixes.isEmpty {
            lines.append("fixed:")
            for outcome in fixes {
                lines.append("    \(outcome.applied ? "✓" : "✗ FAILED:") \(outcome.message)")
            }
            lines.append("")
        }
        for finding in report.findings {
            lines.append("\(finding.severity.rawValue.uppercased()) [\(finding.code)] \(finding.message)")
            lines.append("    fix: \(finding.fix)\(finding.safeFix ? "   (safe: gshare doctor --fix applies it)" : "")")
        }
        if !report.missingTargets.isEmpty {
            lines.append("configured targets their server does not have: \(report.missingTargets.joined(separator: ", "))")
        }
        let counts = report.counts
        var summary = "\(counts[.critical] ?? 0) critical, \(counts[.warning] ?? 0) warning(s), \(counts[.info] ?? 0) info"
        let safe = report.safeFixes.count
        if safe > 0 && !fixing { summary += "; \(safe) can be fixed with gshare doctor --fix" }
        if report.findings.isEmpty { summary = "no problems found" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}

/// `gshare doctor --json`.
struct DoctorDocument: Codable {
    struct Counts: Codable {
        let critical: Int
        let warning: Int
        let info: Int
    }

    let findings: [DoctorFinding]
    let counts: Counts
    let fixed: [FixOutcome]
    let missingTargets: [String]

    init(_ outcome: DoctorOutcome) {
        let report = outcome.report
        findings = report.findings
        counts = Counts(critical: report.counts[.critical] ?? 0, warning: report.counts[.warning] ?? 0, info: report.counts[.info] ?? 0)
        fixed = outcome.fixes
        missingTargets = report.missingTargets
    }
}

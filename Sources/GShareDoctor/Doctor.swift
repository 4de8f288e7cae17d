//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import TenantPKI

/// The analysis behind `gshare doctor`: every check, each a pure function of a
/// ``DoctorInput`` (or of one volume), returning ``DoctorFinding``s.
///
/// Not checked: a tenant the registry records as having access it does not have. The
/// registry keeps tenants, not grants, so there is nothing to compare the lists with; the
/// reverse drift (a listed CN no tenant owns) is ``registryDriftFindings(_:)``.
public enum Doctor {
    /// Runs every check, most severe findings first (stable within a severity).
    public static func diagnose(_ input: DoctorInput) -> DoctorReport {
        var findings: [DoctorFinding] = []
        for volume in input.inventory.volumes {
            findings += postureFindings(volume)
            findings += systemCNFindings(volume, systemCNs: input.systemCNs)
        }
        findings += registryDriftFindings(input)
        findings += tenantExpiryFindings(input)
        findings += revocationFindings(input)
        findings += crlDirectoryFindings(input)
        findings += managerCertificateFindings(input)
        findings += certificateDepthFindings(input)
        findings += nodeFindings(input)
        findings += clusterFindings(input)
        findings += quotaFindings(input)
        let ordered = findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        return DoctorReport(findings: ordered, missingTargets: input.inventory.missingTargets.map(\.description))
    }

    // MARK: Shared helpers

    /// The volume as findings name it: `host:/volume`.
    static func label(_ volume: PoolVolume) -> String { volume.target.description }

    /// The share a volume holds and whether gshare may change its list (an active share).
    static func share(of volume: PoolVolume) -> (id: String, active: Bool)? {
        volume.marks.shareID.map { ($0, volume.marks.state == .active && volume.marks.unknownState == nil) }
    }

    /// How `--cn` would be written on a command line (safe names as they are).
    static func commandWord(_ text: String) -> String {
        (try? CommonName(validating: text)) != nil ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What `gshare doctor` found.
public struct DoctorReport: Sendable, Codable {
    /// Most severe first.
    public let findings: [DoctorFinding]
    /// Configured targets their server does not have (also in `pool list`).
    public let missingTargets: [String]

    public init(findings: [DoctorFinding], missingTargets: [String] = []) {
        self.findings = findings
        self.missingTargets = missingTargets
    }

    /// True when at least one finding is critical.
    public var hasCritical: Bool { findings.contains { $0.severity == .critical } }

    /// The findings `doctor --fix` may apply, in order.
    public var safeFixes: [DoctorFinding] { findings.filter(\.safeFix) }

    /// How many findings of each severity.
    public var counts: [DoctorFinding.Severity: Int] {
        Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
    }
}

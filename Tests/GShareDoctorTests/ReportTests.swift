//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import TenantPKI
import Testing

@testable import GlusterDriver

@Suite("DoctorReport and StatusReport: the whole pool at once")
struct ReportTests {
    @Test("the recorded lab: critical findings first, only the two unprepared volumes are critical")
    func recordedLabDiagnosis() throws {
        let report = Doctor.diagnose(try input(try recordedLab(), complete: false))
        #expect(report.hasCritical)
        let critical = report.findings.filter { $0.severity == .critical }
        #expect(Set(critical.compactMap(\.volume)) == ["127.0.0.2:/gshare-plain", "127.0.0.2:/gshare-maybe"])
        #expect(report.findings.map(\.severity) == report.findings.map(\.severity).sorted())
        #expect(report.safeFixes.isEmpty)
        #expect(report.counts[.critical] == 6)
    }

    @Test("a clean pool has no findings and no critical")
    func cleanPool() throws {
        let report = Doctor.diagnose(try input([try poolVolume("v1"), try poolVolume("v2")]))
        #expect(report.findings.isEmpty && !report.hasCritical)
    }

    @Test("safe fixes are exactly the system-CN additions and the removals of expired tenants")
    func safeFixesAreCollected() throws {
        let volumes = [
            try poolVolume("v1", ["auth.ssl-allow": "gshare-manager,tenant-a"].merging(shareMarks("s-1")) { $1 }),
            try poolVolume("v2", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-x"].merging(shareMarks("s-2")) { $1 }),
        ]
        let report = Doctor.diagnose(try input(volumes, tenants: [tenant("tenant-a", expiresIn: -3)]))
        #expect(
            report.safeFixes.compactMap(\.fixAction) == [
                .addSystemCNs(volume: "127.0.0.2:/v1"), .removeCN(share: "s-1", cn: "tenant-a"),
            ])
        #expect(report.findings.with(.unknownCN).map(\.share) == ["s-2"])
    }

    @Test("--json: a finding encodes its code, severity, safeFix and fixAction, and decodes back")
    func findingJSONRoundTrip() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "gshare-manager"])
        let finding = try #require(Doctor.systemCNFindings(volume, systemCNs: try systemCNs()).first)
        let data = try JSONEncoder().encode(finding)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["code"] as? String == "system-cn-missing")
        #expect(object["severity"] as? String == "critical")
        #expect(object["safeFix"] as? Bool == true)
        #expect(object["fixAction"] != nil)
        let decoded = try JSONDecoder().decode(DoctorFinding.self, from: data)
        #expect(decoded == finding)
    }

    // MARK: Status

    @Test("status classifies each share's entries as system, tenant (named) or unknown")
    func statusClassifiesEntries() throws {
        let share = try poolVolume("v1", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-a,stranger"].merging(shareMarks("s-1")) { $1 })
        let status = StatusReport(inventory: inventory([share]), tenants: [tenant("acme", cn: "tenant-a")], systemCNs: try systemCNs())
        let entries = try #require(status.shares.first).entries
        #expect(
            entries == [
                StatusReport.Entry(name: "gluster-node-1", kind: .system, tenant: nil), StatusReport.Entry(name: "gshare-manager", kind: .system, tenant: nil),
                StatusReport.Entry(name: "tenant-a", kind: .tenant, tenant: "acme"), StatusReport.Entry(name: "stranger", kind: .unknown, tenant: nil),
            ])
        #expect(status.shares[0].export == "127.0.0.2:/v1" && status.shares[0].state == "active" && status.shares[0].tlsReady)
    }

    @Test("status lists free volumes with their readiness, and volumes waiting for a wipe with the command")
    func statusFreeAndWipe() throws {
        let volumes = [
            try poolVolume("free-ready"), try poolVolume("free-plain", ["server.ssl": nil]),
            try poolVolume("wiping", shareMarks("s-9", state: "needs-wipe")),
            try poolVolume("odd", ["user.gshare.state": "frozen"]),
        ]
        let status = StatusReport(inventory: inventory(volumes), tenants: [], systemCNs: try systemCNs())
        #expect(status.shares.isEmpty)
        #expect(status.freeVolumes.map(\.volume) == ["127.0.0.2:/free-ready", "127.0.0.2:/free-plain"])
        #expect(status.freeVolumes.map(\.tlsReady) == [true, false])
        #expect(status.freeVolumes[1].problems == ["server.ssl"])
        #expect(status.volumesNeedingWipe.map(\.fix) == ["gshare share delete s-9"])
        #expect(status.volumesInUnknownState == ["127.0.0.2:/odd (user.gshare.state = frozen)"])
    }

    @Test("status of the recorded lab: every volume is free, two of them not TLS-ready, one stopped")
    func statusOfRecordedLab() throws {
        let status = StatusReport(inventory: inventory(try recordedLab()), tenants: [], systemCNs: try systemCNs())
        #expect(status.shares.isEmpty)
        let notReady = status.freeVolumes.filter { !$0.tlsReady }.map(\.volume).sorted()
        #expect(notReady == ["127.0.0.2:/gshare-maybe", "127.0.0.2:/gshare-plain", "127.0.0.2:/gshare-test-stopped"])
        let encoded = try JSONEncoder().encode(status)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"freeVolumes\""))
    }
}

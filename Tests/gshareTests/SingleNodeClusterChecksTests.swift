//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// What `doctor` says of a one-node pool in the real lab, which has no management TLS and no
/// lock volume: it learns the node's CN from one of its TLS bricks (the port from `volume
/// status`), and warns that changes are locked on this host only. Read-only.
@Suite("Doctor on the one-node lab: the node's CN from a brick, a local-only lock")
struct SingleNodeClusterChecksTests {
    @Test(.timeLimit(.minutes(2)))
    func withoutManagementTLSTheNodesCNComesFromATLSBrickAndTheLockIsLocalOnly() async throws {
        let lab = try LabDescription.load()
        let base = try DriverLab(targets: [lab.pool[0].name])
        var text = try String(contentsOfFile: base.config, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "system_cns = [\"\(lab.serverCN)\", \"\(lab.managerCN)\"]", with: "system_cns = [\"gluster-node-9\", \"\(lab.managerCN)\"]")
        try text.write(toFile: base.config, atomically: true, encoding: .utf8)

        let doctor = try await base.gshare("doctor", "--json")
        let findings = try #require(try base.json(doctor)["findings"] as? [[String: Any]], "\(doctor.stdout) \(doctor.stderr)")
        let node = findings.first { $0["code"] as? String == "node-cn-not-system" }
        #expect(node?["severity"] as? String == "critical", "\(findings.map { $0["code"] ?? "" })")
        #expect((node?["message"] as? String)?.contains("\"\(lab.serverCN)\"") == true, "\(node ?? [:])")
        #expect(findings.contains { $0["code"] as? String == "system-cn-unheld" && ($0["message"] as? String)?.contains("gluster-node-9") == true })
        let local = findings.first { $0["code"] as? String == "cluster-lock-local-only" }
        #expect(local?["severity"] as? String == "warning" && (local?["message"] as? String)?.contains("one host only") == true, "\(findings)")

        // pool check says it too (and refuses).
        let check = try await base.gshare("pool", "check", "--json")
        let nodeFindings = try #require(try base.json(check)["nodeFindings"] as? [[String: Any]], "\(check.stdout)")
        #expect(check.status == 1 && nodeFindings.contains { $0["code"] as? String == "node-cn-not-system" }, "\(check.status) \(nodeFindings)")

        let status = try await base.gshare("status")
        #expect(status.stdout.contains("cluster lock: local to this host"), "\(status.stdout)")
    }
}

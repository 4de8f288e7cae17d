//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import Testing

@testable import GlusterDriver

/// Check 9: the CNs the nodes present, against system_cns (gluster-node-1, gshare-manager
/// in these tests).
@Suite("Doctor: the nodes' own CNs")
struct NodeCheckTests {
    func findings(_ nodes: [NodeIdentity]) throws -> [DoctorFinding] {
        var judged = try input([try poolVolume("gshare-pool-01-1G")])
        judged.nodes = nodes
        return Doctor.diagnose(judged).findings.filter {
            [DoctorFinding.Code.nodeCNNotSystem, .systemCNUnheld, .nodeCNUnknown].contains($0.code)
        }
    }

    @Test func aNodeWhoseCNIsASystemCNIsFine() throws {
        let found = try findings([NodeIdentity(host: "127.0.0.11", commonName: "gluster-node-1", problem: nil)])
        #expect(found.allSatisfy { $0.code != .nodeCNNotSystem })
    }

    @Test func aNodeWhoseCNIsMissingFromSystemCNsIsCritical() throws {
        let found = try findings([
            NodeIdentity(host: "127.0.0.11", commonName: "gluster-node-1", problem: nil),
            NodeIdentity(host: "127.0.0.13", commonName: "gluster-node-3", problem: nil),
        ])
        let finding = try #require(found.first { $0.code == .nodeCNNotSystem })
        #expect(finding.severity == .critical)
        #expect(finding.message.contains("127.0.0.13") && finding.message.contains("gluster-node-3"))
        #expect(finding.fix.contains("system_cns"))
    }

    @Test func aSystemCNThatNoNodeAndNotGshareHoldsIsAWarning() throws {
        // gshare-manager is held by nobody here: no manager certificate is configured.
        let found = try findings([NodeIdentity(host: "127.0.0.11", commonName: "gluster-node-1", problem: nil)])
        let unheld = found.filter { $0.code == .systemCNUnheld }
        #expect(unheld.count == 1 && unheld[0].severity == .warning && unheld[0].message.contains("gshare-manager"), "\(unheld)")
    }

    @Test func anUnreadableNodeIsAWarningAndHoldsBackTheUnheldCheck() throws {
        let found = try findings([NodeIdentity(host: "127.0.0.12", commonName: nil, problem: "cannot connect")])
        #expect(found.map(\.code) == [.nodeCNUnknown])
        #expect(found[0].message.contains("127.0.0.12") && found[0].message.contains("cannot connect"))
    }

    @Test func withoutNodeIdentitiesNothingIsJudged() throws {
        #expect(try findings([]).isEmpty)
    }

    @Test func aNodeCNOnAFreeVolumeIsNotOfferedForRemoval() throws {
        var judged = try input([try poolVolume("gshare-pool-01-1G", readyOptions(["auth.ssl-allow": "gluster-node-1,gluster-node-3,gshare-manager"]))])
        #expect(Doctor.diagnose(judged).findings.contains { $0.code == .cnOnFreeVolume }, "without node identities it is an unknown name")
        judged.nodes = [NodeIdentity(host: "127.0.0.13", commonName: "gluster-node-3", problem: nil)]
        let findings = Doctor.diagnose(judged).findings
        #expect(!findings.contains { $0.code == .cnOnFreeVolume }, "\(findings)")
        #expect(findings.contains { $0.code == .nodeCNNotSystem })
    }
}

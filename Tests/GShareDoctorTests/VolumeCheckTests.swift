//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import TenantPKI
import Testing

@testable import GlusterDriver

@Suite("Doctor checks 1-2: the TLS posture of pool volumes and their system CNs")
struct VolumeCheckTests {
    // MARK: The recorded lab

    @Test("recorded gshare-plain: TLS off on both sides and an open list, all critical")
    func recordedPlainVolumeIsCriticallyOpen() throws {
        let plain = try #require(try recordedLab().first { $0.name == "gshare-plain" })
        let findings = Doctor.postureFindings(plain) + Doctor.systemCNFindings(plain, systemCNs: try systemCNs())
        #expect(findings.codes == ["tls-off", "tls-off", "allow-list-open"])
        #expect(findings.allSatisfy { $0.severity == .critical && $0.volume == "127.0.0.2:/gshare-plain" && !$0.safeFix })
        #expect(findings[0].message.contains("server.ssl is unset (default off)"))
        #expect(findings[0].fix == "gshare pool prepare gshare-plain --restart")
        #expect(findings[2].message.contains("is not set, so GlusterFS uses *"))
    }

    @Test("recorded gshare-maybe: 'maybe' is reported as tls-maybe, not as off")
    func recordedMaybeVolumeIsTLSMaybe() throws {
        let maybe = try #require(try recordedLab().first { $0.name == "gshare-maybe" })
        let findings = Doctor.postureFindings(maybe)
        #expect(findings.codes == ["tls-maybe", "tls-maybe", "allow-list-open"])
        #expect(findings[0].message.contains("server.ssl is maybe"))
    }

    @Test("recorded ready pool volumes have no posture or system-CN findings")
    func recordedReadyVolumesAreClean() throws {
        let ready = try recordedLab().filter { $0.name.hasPrefix("gshare-pool-") }
        #expect(ready.count == 6)
        for volume in ready {
            #expect((Doctor.postureFindings(volume) + Doctor.systemCNFindings(volume, systemCNs: try systemCNs())).isEmpty)
        }
    }

    @Test("a recorded stopped volume is info when free")
    func recordedStoppedVolumeIsInfo() throws {
        let stopped = try #require(try recordedLab().first { $0.name == "gshare-test-stopped" })
        let findings = Doctor.postureFindings(stopped)
        #expect(findings.codes == ["volume-not-started"])
        #expect(findings[0].severity == .info)
    }

    // MARK: Synthetic volumes

    @Test("a glob entry is allow-list-glob, critical, with the fix that drops it")
    func globEntryIsCritical() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-*"])
        let findings = Doctor.postureFindings(volume)
        #expect(findings.codes == ["allow-list-glob"])
        #expect(findings[0].severity == .critical)
        #expect(findings[0].message.contains("tenant-*"))
        #expect(findings[0].fix == "gshare pool prepare v   (sets auth.ssl-allow to gluster-node-1,gshare-manager)")
    }

    @Test("a set list holding * is allow-list-open, and no system CN is reported missing from it")
    func starInSetListIsOpen() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "tenant-a,*"])
        #expect(Doctor.postureFindings(volume).codes == ["allow-list-open"])
        #expect(Doctor.systemCNFindings(volume, systemCNs: try systemCNs()).isEmpty)
    }

    @Test("server.dynamic-auth off is a warning")
    func dynamicAuthOffIsWarning() throws {
        let findings = Doctor.postureFindings(try poolVolume("v", ["server.dynamic-auth": "off"]))
        #expect(findings.codes == ["dynamic-auth-off"])
        #expect(findings[0].severity == .warning)
        #expect(findings[0].fix == "gluster volume set v server.dynamic-auth on")
    }

    @Test("a pending brick restart is critical: the bricks still serve plain text")
    func pendingRestartIsCritical() throws {
        let findings = Doctor.postureFindings(try poolVolume("v", [TLSPosture.restartPendingKey: "server.ssl"]))
        #expect(findings.codes == ["restart-pending"])
        #expect(findings[0].severity == .critical)
        #expect(findings[0].fix == "gshare pool prepare v --restart")
    }

    @Test("a stopped volume holding a share is a warning naming the share")
    func stoppedShareIsWarning() throws {
        let findings = Doctor.postureFindings(try poolVolume("v", status: .stopped, shareMarks("s-1")))
        #expect(findings.codes == ["volume-not-started"])
        #expect(findings[0].severity == .warning && findings[0].share == "s-1")
        #expect(findings[0].message.contains("holds share s-1"))
    }

    @Test("client.ssl off alone is one tls-off finding with the volume set fix")
    func clientSSLOffAlone() throws {
        let findings = Doctor.postureFindings(try poolVolume("v", ["client.ssl": "off"]))
        #expect(findings.codes == ["tls-off"])
        #expect(findings[0].fix == "gluster volume set v client.ssl on")
    }

    // MARK: System CNs

    @Test("a system CN missing from an enforced list is critical, with the safe fix to add it")
    func missingSystemCNIsSafelyFixable() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": "gshare-manager,tenant-a"].merging(shareMarks("s-1")) { $1 })
        let findings = Doctor.systemCNFindings(volume, systemCNs: try systemCNs())
        #expect(findings.codes == ["system-cn-missing"])
        let finding = try #require(findings.first)
        #expect(finding.severity == .critical && finding.safeFix)
        #expect(finding.fixAction == .addSystemCNs(volume: "127.0.0.2:/v"))
        #expect(finding.share == "s-1")
        #expect(finding.fix == "gluster volume set v auth.ssl-allow gluster-node-1,gshare-manager,tenant-a")
        #expect(finding.message.contains("gluster-node-1") && !finding.message.contains("gshare-manager,"))
    }

    @Test("an unset list admits everyone, so no system CN is reported missing (allow-list-open covers it)")
    func unsetListReportsNoMissingSystemCN() throws {
        let volume = try poolVolume("v", ["auth.ssl-allow": nil])
        #expect(Doctor.systemCNFindings(volume, systemCNs: try systemCNs()).isEmpty)
        #expect(Doctor.postureFindings(volume).codes == ["allow-list-open"])
    }
}

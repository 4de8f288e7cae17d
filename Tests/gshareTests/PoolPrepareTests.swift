//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// `gshare pool check` and `gshare pool prepare` on a volume created for the test (TLS off,
/// no allow list), against the real lab's glusterd.
@Suite("gshare pool prepare, against the real lab", .serialized)
struct PoolPrepareTests {
    static func gluster(_ arguments: String...) async throws -> ProcessResult {
        try await runProcess("/usr/sbin/gluster", ["--mode=script"] + arguments)
    }

    @Test(.timeLimit(.minutes(4)))
    func prepareMakesAPlainVolumeReadyAndRestartsOnlyWhenAsked() async throws {
        let lab = try LabDescription.load()
        let scratch = try await ScratchVolume.create(lab, prefix: "gshare-test-prepare")
        defer { scratch.removeBlocking() }
        let volume = scratch.name
        #expect(try await Self.gluster("volume", "start", volume).status == 0)
        let driver = try DriverLab(targets: [volume])

        // TLS off: not ready, and create refuses it
        let before = try await driver.gshare("pool", "check", volume, "--json")
        #expect(before.status == 1)
        let failing = ((try driver.json(before)["volumes"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]] ?? [])
            .filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
        #expect(Set(failing) == ["server.ssl", "client.ssl", "auth.ssl-allow", "system-cns"])
        #expect(try await driver.gshare("share", "create").status == 1)
        // TLS off admits anyone in plain text: the proof that the posture check matters (and
        // `access test` says so: exit status 3)
        #expect(try await driver.accessTest(volume, as: "tenant-b") == 3)

        // prepare without --restart: settings applied, the restart still needed
        let applied = try await driver.gshare("pool", "prepare", volume, "--json")
        #expect(applied.status == 1, "\(applied.stdout) \(applied.stderr)")
        let result = try driver.json(applied)
        #expect(result["restartNeeded"] as? Bool == true && result["restarted"] as? Bool == false)
        let keys = (result["applied"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(keys.first == "auth.ssl-allow")
        #expect(Set(keys) == ["auth.ssl-allow", "server.ssl", "client.ssl"] || Set(keys) == ["auth.ssl-allow", "server.ssl", "client.ssl", "server.dynamic-auth"])
        let options = try await DriverLab.options(of: volume)
        #expect(options["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
        #expect(options["server.ssl"] == "on" && options["client.ssl"] == "on")
        // the options look right, but the bricks still serve plain text: not ready until restarted
        let pending = try await driver.gshare("pool", "check", volume)
        #expect(pending.status == 1 && pending.stdout.contains("restart pending"), "\(pending.stdout)")
        #expect(try await driver.gshare("share", "create").status == 1)

        // with --restart: stopped and started, ready; only the listed CNs get in
        let restarted = try await driver.gshare("pool", "prepare", volume, "--restart", "--json")
        #expect(restarted.status == 0, "\(restarted.stdout) \(restarted.stderr)")
        #expect(try driver.json(restarted)["restarted"] as? Bool == true)
        #expect(try await driver.gshare("pool", "check", volume).status == 0)
        #expect(try await driver.accessTest(volume, as: "tenant-b") == 1)

        // now it can be handed out; prepared again it has nothing to set
        let again = try await driver.gshare("pool", "prepare", volume)
        #expect(again.status == 0 && again.stdout.contains("nothing to set"), "\(again.stdout)")
        let created = try await driver.gshare("share", "create", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(try driver.json(created)["id"] as? String)
        #expect(try await driver.gshare("share", "delete", id).status == 0)
    }

    @Test func prepareRefusesAVolumeOutsideThePool() async throws {
        let driver = try DriverLab(targets: ["gshare-pool-01-1G"])
        let result = try await driver.gshare("pool", "prepare", "gshare-test-access")
        #expect(result.status == 1)
        #expect(result.stderr.contains("gshare-test-access is not a volume of the configured pool"))
    }
}

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
        // `access test` says so: exit status 4)
        #expect(try await driver.accessTest(volume, as: "tenant-b") == 4)

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

    /// Measured on GlusterFS 10.3: a brick cannot parse a '\\' in auth.ssl-allow, keeps the list
    /// it started with and ignores every change until it restarts. gshare must never report a
    /// deny on such a list as done.
    @Test(.timeLimit(.minutes(4)))
    func anEscapedEntryIsNotReadyAndADenyOnItSaysTheTenantIsNotCutOffUntilTheRestart() async throws {
        let lab = try LabDescription.load()
        let volume = "gshare-test-escape-\(UUID().uuidString.prefix(8).lowercased())"
        let brick = "/var/tmp/gshare-lab/bricks/\(volume)"
        try FileManager.default.createDirectory(atPath: brick, withIntermediateDirectories: true)
        #expect(try await Self.gluster("volume", "create", volume, "\(lab.host):\(brick)", "force").status == 0)
        defer {
            _ = try? runProcessBlocking("/usr/sbin/gluster", ["--mode=script", "volume", "stop", volume, "force"])
            _ = try? runProcessBlocking("/usr/sbin/gluster", ["--mode=script", "volume", "delete", volume])
            try? FileManager.default.removeItem(atPath: brick)
        }
        #expect(try await Self.gluster("volume", "start", volume).status == 0)
        let driver = try DriverLab(targets: [volume])
        #expect(try await driver.gshare("pool", "prepare", volume, "--restart").status == 0)
        let created = try await driver.gshare("share", "create", "--name", "escape", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try await driver.gshare("access", "allow", "escape", "--cn", "tenant-a").status == 0)
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 0)

        // someone writes tenant-a escaped (fnmatch reads tenant\-a as tenant-a)
        let escaped = "gluster-node-1,gshare-manager,tenant\\-a"
        #expect(try await Self.gluster("volume", "set", volume, "auth.ssl-allow", escaped).status == 0)
        let check = try await driver.gshare("pool", "check", volume)
        #expect(check.status == 1 && check.stdout.contains("tenant\\-a") && check.stdout.contains("freezes the bricks"), "\(check.stdout)")
        let doctor = try await driver.gshare("doctor", "--json")
        let glob = ((try driver.json(doctor)["findings"] as? [[String: Any]]) ?? []).first { $0["code"] as? String == "allow-list-glob" }
        #expect(glob?["fix"] as? String == "gshare pool prepare \(volume) --restart   (sets auth.ssl-allow to gluster-node-1,gshare-manager)")
        #expect(try await driver.gshare("access", "allow", "escape", "--cn", "tenant-b").status == 1, "not ready: no allow")

        // the deny removes the escaped spelling, but says the tenant is NOT cut off yet (exit 1)
        let deny = try await driver.gshare("access", "deny", "escape", "--cn", "tenant-a", "--json")
        #expect(deny.status == 1, "\(deny.stdout) \(deny.stderr)")
        let change = try driver.json(deny)
        #expect(change["restartNeeded"] as? Bool == true && change["after"] as? String == "gluster-node-1,gshare-manager")
        #expect(try await DriverLab.options(of: volume)["user.gshare.restart-pending"] == "auth.ssl-allow")
        let pending = try await driver.gshare("pool", "check", volume)
        #expect(pending.status == 1 && pending.stdout.contains("restart pending"), "\(pending.stdout)")
        // the restart makes the list the bricks enforce the one gshare wrote: tenant-a is out
        #expect(try await driver.gshare("pool", "prepare", volume, "--restart").status == 0)
        #expect(try await driver.gshare("pool", "check", volume).status == 0)
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 1)
        #expect(try await driver.gshare("share", "delete", "escape").status == 0)
    }

    @Test func prepareRefusesAVolumeOutsideThePool() async throws {
        let driver = try DriverLab(targets: ["gshare-pool-01-1G"])
        let result = try await driver.gshare("pool", "prepare", "gshare-test-access")
        #expect(result.status == 1)
        #expect(result.stderr.contains("gshare-test-access is not a volume of the configured pool"))
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI
import Testing

@testable import GlusterDriver

/// A started volume with TLS fully on, the lab's system CNs listed, and `changes` on top
/// (a nil value removes the option).
private func volume(status: VolumeInfo.Status = .started, _ changes: [String: String?] = [:]) -> VolumeInfo {
    var options = [
        "server.ssl": "on", "client.ssl": "on", "auth.ssl-allow": "gluster-node-1,gshare-manager",
        "server.dynamic-auth": "on", "nfs.disable": "on",
    ]
    for (key, value) in changes { options[key] = value }
    return VolumeInfo(name: "vol", status: status, options: options)
}

private extension TLSPosture {
    func check(_ name: String) throws -> PostureCheck { try #require(checks.first { $0.name == name }) }
}

private extension VolumeInfo {
    /// The volume after `gluster volume set` of the plan's settings.
    func applying(_ plan: PreparePlan) -> VolumeInfo {
        var options = self.options
        for setting in plan.settings { options[setting.key] = setting.value }
        return VolumeInfo(name: name, status: status, options: options)
    }
}

@Suite("TLSPosture: whether a volume can be handed out, and what prepare must set")
struct TLSPostureTests {
    // MARK: The recorded lab

    @Test("every volume of the recorded lab gets the right verdict")
    func recordedLabVerdicts() throws {
        let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output("volume-info-all.xml"))
        let system = try labSystemCNs()
        let failing = Dictionary(
            uniqueKeysWithValues: volumes.map { ($0.name, TLSPosture.evaluate($0, systemCNs: system).problems.map(\.name)) })
        let tlsOff = ["server.ssl", "client.ssl", "auth.ssl-allow", "system-cns"]
        #expect(
            failing == [
                "gshare-pool-01-1G": [], "gshare-pool-02-1G": [], "gshare-pool-03-2G": [], "gshare-pool-04-2G": [],
                "gshare-pool-05-5G": [], "gshare-pool-06-5G": [], "gshare-test-access": [], "gshare-test-wipe": [],
                "gshare-test-stopped": ["status"], "gshare-plain": tlsOff, "gshare-maybe": tlsOff,
            ])
    }

    @Test("recorded gshare-maybe: 'maybe' is not a boolean and the default allow list admits anyone")
    func recordedMaybeVolume() throws {
        let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output("volume-info-all.xml"))
        let maybe = try #require(volumes.first { $0.name == "gshare-maybe" })
        let posture = TLSPosture.evaluate(maybe, systemCNs: try labSystemCNs())
        #expect(!posture.isReady)
        let serverSSL = try posture.check("server.ssl")
        #expect(serverSSL.found == "maybe")
        #expect(serverSSL.problem?.contains("accept clients without TLS") == true)
        #expect(serverSSL.fix == "gshare pool prepare gshare-maybe --restart")
        #expect(try posture.check("auth.ssl-allow").found == "unset (default *)")
        #expect(try posture.check("server.dynamic-auth").found == "unset (default on)")
        let plan = PreparePlan.make(for: maybe, systemCNs: try labSystemCNs())
        #expect(
            plan.settings == [
                VolumeSetting(key: "auth.ssl-allow", value: "gluster-node-1,gshare-manager"),
                VolumeSetting(key: "server.ssl", value: "on"), VolumeSetting(key: "client.ssl", value: "on"),
            ])
        #expect(plan.needsRestart && !plan.alreadyReady)
    }

    @Test("recorded gshare-plain: TLS unset means off; prepare narrows the list first and needs a restart")
    func recordedPlainVolume() throws {
        let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output("volume-info-all.xml"))
        let plain = try #require(volumes.first { $0.name == "gshare-plain" })
        let posture = TLSPosture.evaluate(plain, systemCNs: try labSystemCNs())
        #expect(try posture.check("server.ssl").found == "unset (default off)")
        #expect(try posture.check("client.ssl").fix == "gluster volume set gshare-plain client.ssl on")
        #expect(try posture.check("system-cns").found == "missing gluster-node-1,gshare-manager")
        let plan = PreparePlan.make(for: plain, systemCNs: try labSystemCNs())
        #expect(plan.settings.first == VolumeSetting(key: "auth.ssl-allow", value: "gluster-node-1,gshare-manager"))
        #expect(plan.needsRestart)
        #expect(TLSPosture.evaluate(plain.applying(plan), systemCNs: try labSystemCNs()).isReady)
    }

    @Test("recorded pool and stopped volumes: nothing to set; the created one only needs a start")
    func recordedReadyAndStoppedVolumes() throws {
        let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output("volume-info-all.xml"))
        let system = try labSystemCNs()
        let pool = try #require(volumes.first { $0.name == "gshare-pool-01-1G" })
        #expect(PreparePlan.make(for: pool, systemCNs: system) == PreparePlan(volume: "gshare-pool-01-1G", settings: [], needsRestart: false, alreadyReady: true))
        let stopped = try #require(volumes.first { $0.name == "gshare-test-stopped" })
        let status = try TLSPosture.evaluate(stopped, systemCNs: system).check("status")
        #expect(status.found == "Created" && !status.passed)
        #expect(status.fix == "gluster volume start gshare-test-stopped")
        #expect(PreparePlan.make(for: stopped, systemCNs: system) == PreparePlan(volume: "gshare-test-stopped", settings: [], needsRestart: false, alreadyReady: false))
    }

    // MARK: server.ssl / client.ssl

    @Test("GlusterFS's true words, in any case, count as on", arguments: ["on", "ON", "Yes", "true", "TRUE", "enable", "1"])
    func trueWordsAreOn(word: String) throws {
        let posture = TLSPosture.evaluate(volume(["server.ssl": word, "client.ssl": word]), systemCNs: try labSystemCNs())
        #expect(posture.isReady)
        #expect(try posture.check("server.ssl").found == word)
    }

    @Test("off words fail and say TLS is off", arguments: ["off", "OFF", "no", "false", "disable", "0"])
    func falseWordsAreOff(word: String) throws {
        let posture = TLSPosture.evaluate(volume(["server.ssl": word]), systemCNs: try labSystemCNs())
        let check = try posture.check("server.ssl")
        #expect(!check.passed && check.found == word)
        #expect(check.problem?.contains("plain text") == true)
        #expect(posture.problems.map(\.name) == ["server.ssl"])
    }

    @Test("a value that is no boolean (maybe, bogus, empty) is not ready and is named", arguments: ["maybe", "bogus", "", "o n"])
    func nonBooleansAreNotReady(word: String) throws {
        let posture = TLSPosture.evaluate(volume(["server.ssl": word, "client.ssl": word]), systemCNs: try labSystemCNs())
        for name in ["server.ssl", "client.ssl"] {
            let check = try posture.check(name)
            #expect(!check.passed && check.found == word)
            #expect(check.problem?.contains("not a boolean") == true)
        }
    }

    @Test("the server.ssl fix restarts only a started volume")
    func serverSSLFixDependsOnStatus() throws {
        let system = try labSystemCNs()
        #expect(try TLSPosture.evaluate(volume(["server.ssl": nil]), systemCNs: system).check("server.ssl").fix == "gshare pool prepare vol --restart")
        #expect(try TLSPosture.evaluate(volume(status: .stopped, ["server.ssl": nil]), systemCNs: system).check("server.ssl").fix == "gshare pool prepare vol")
    }

    // MARK: auth.ssl-allow and system CNs

    @Test("an allow list that admits anyone or has wildcards fails, naming what is set", arguments: [
        ("*", "*", "lists *"), ("**", "**", "lists *"),
        ("gluster-node-1,gshare-manager,tenant-*", "gluster-node-1,gshare-manager,tenant-*", "tenant-*"),
        ("gluster-node-1 gshare-manager ?enant", "gluster-node-1 gshare-manager ?enant", "?enant"),
    ])
    func wideListsFail(value: String, found: String, named: String) throws {
        let check = try TLSPosture.evaluate(volume(["auth.ssl-allow": value]), systemCNs: try labSystemCNs()).check("auth.ssl-allow")
        #expect(!check.passed && check.found == found)
        #expect(check.problem?.contains(named) == true)
        // a command gshare accepts (issue 12: no longer a gluster command)
        #expect(check.fix == "gshare pool prepare vol   (sets auth.ssl-allow to gluster-node-1,gshare-manager)")
    }

    @Test("an escaped entry is not ready, and the fix restarts the bricks it froze", arguments: ["tenant\\-a", "ten\\ant"])
    func escapedEntriesFreezeTheBricks(entry: String) throws {
        let info = volume(["auth.ssl-allow": "gluster-node-1,gshare-manager,\(entry)"])
        let check = try TLSPosture.evaluate(info, systemCNs: try labSystemCNs()).check("auth.ssl-allow")
        #expect(!check.passed && check.problem?.contains("freezes the bricks") == true)
        #expect(check.fix == "gshare pool prepare vol --restart   (sets auth.ssl-allow to gluster-node-1,gshare-manager)")
        let plan = PreparePlan.make(for: info, systemCNs: try labSystemCNs())
        #expect(plan.needsRestart && plan.restartReason == "auth.ssl-allow")
        #expect(plan.settings.first == VolumeSetting(key: "auth.ssl-allow", value: "gluster-node-1,gshare-manager"))
    }

    @Test("an unset allow list fails: GlusterFS's default * lets everyone in")
    func unsetListFails() throws {
        let posture = TLSPosture.evaluate(volume(["auth.ssl-allow": nil]), systemCNs: try labSystemCNs())
        let check = try posture.check("auth.ssl-allow")
        #expect(!check.passed && check.found == "unset (default *)")
        #expect(posture.problems.map(\.name) == ["auth.ssl-allow", "system-cns"])
    }

    @Test("exact tenant and unknown entries besides the system CNs are fine")
    func exactExtraEntriesPass() throws {
        let posture = TLSPosture.evaluate(
            volume(["auth.ssl-allow": "gluster-node-1, gshare-manager,tenant-a,legacy-host"]), systemCNs: try labSystemCNs())
        #expect(posture.isReady)
        #expect(try posture.check("auth.ssl-allow").found == "gluster-node-1, gshare-manager,tenant-a,legacy-host")
    }

    @Test("a missing system CN fails and the fix adds it without dropping the tenants")
    func missingSystemCNFails() throws {
        let check = try TLSPosture.evaluate(volume(["auth.ssl-allow": "gluster-node-1,tenant-a"]), systemCNs: try labSystemCNs()).check("system-cns")
        #expect(!check.passed && check.found == "missing gshare-manager")
        #expect(check.problem?.contains("gshare-manager is not listed") == true)
        #expect(check.fix == "gshare pool prepare vol   (sets auth.ssl-allow to gshare-manager,gluster-node-1,tenant-a)")
    }

    @Test("a system CN matched only by a wildcard is still missing")
    func wildcardDoesNotCountForSystemCNs() throws {
        let posture = TLSPosture.evaluate(volume(["auth.ssl-allow": "gluster-*,gshare-manager"]), systemCNs: try labSystemCNs())
        #expect(posture.problems.map(\.name) == ["auth.ssl-allow", "system-cns"])
    }

    // MARK: server.dynamic-auth and status

    @Test("dynamic-auth unset is its default (on) and passes; off or garbage fails with the exact command")
    func dynamicAuth() throws {
        let system = try labSystemCNs()
        let unset = try TLSPosture.evaluate(volume(["server.dynamic-auth": nil]), systemCNs: system).check("server.dynamic-auth")
        #expect(unset.passed && unset.found == "unset (default on)" && unset.problem == nil && unset.fix == nil)
        for value in ["off", "notabool"] {
            let check = try TLSPosture.evaluate(volume(["server.dynamic-auth": value]), systemCNs: system).check("server.dynamic-auth")
            #expect(!check.passed && check.found == value)
            #expect(check.fix == "gluster volume set vol server.dynamic-auth on")
        }
    }

    @Test("a stopped or created volume cannot be handed out; prepare comes before the start when needed", arguments: [
        VolumeInfo.Status.stopped, .created,
    ])
    func notStartedFails(status: VolumeInfo.Status) throws {
        let system = try labSystemCNs()
        let check = try TLSPosture.evaluate(volume(status: status), systemCNs: system).check("status")
        #expect(!check.passed && check.found == status.rawValue)
        #expect(check.fix == "gluster volume start vol")
        let unprepared = try TLSPosture.evaluate(volume(status: status, ["server.ssl": "maybe"]), systemCNs: system).check("status")
        #expect(unprepared.fix == "gshare pool prepare vol && gluster volume start vol")
    }

    @Test("checks come in a fixed order and passing ones carry no problem or fix")
    func checkOrder() throws {
        let posture = TLSPosture.evaluate(volume(), systemCNs: try labSystemCNs())
        #expect(posture.checks.map(\.name) == ["server.ssl", "client.ssl", "auth.ssl-allow", "system-cns", "server.dynamic-auth", "status", "bricks"])
        #expect(posture.isReady && posture.problems.isEmpty)
        #expect(posture.checks.allSatisfy { $0.problem == nil && $0.fix == nil })
    }

    @Test("a server.ssl change still waiting for a brick restart keeps the volume not ready until the mark is cleared")
    func restartPending() throws {
        let pending = TLSPosture.evaluate(volume([TLSPosture.restartPendingKey: "server.ssl"]), systemCNs: try labSystemCNs())
        #expect(!pending.isReady)
        let check = try pending.check("bricks")
        #expect(!check.passed && check.fix == "gshare pool prepare vol --restart")
        #expect(check.problem?.contains("plain text") == true)
        let cleared = TLSPosture.evaluate(volume([TLSPosture.restartPendingKey: "NONE"]), systemCNs: try labSystemCNs())
        #expect(cleared.isReady)
    }

    @Test("a posture encodes its verdict as ready and decodes back to the same value")
    func coding() throws {
        let posture = TLSPosture.evaluate(volume(["server.ssl": "maybe"]), systemCNs: try labSystemCNs())
        let data = try JSONEncoder().encode(posture)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["ready"] as? Bool == false)
        #expect(json["volume"] as? String == "vol")
        #expect(try JSONDecoder().decode(TLSPosture.self, from: data) == posture)
    }

    // MARK: PreparePlan

    @Test("prepare never widens: unset or * becomes exactly the system CNs, wildcards are dropped, exact names kept", arguments: [
        (nil, "gluster-node-1,gshare-manager"), ("*", "gluster-node-1,gshare-manager"),
        ("tenant-*,tenant-a", "gluster-node-1,gshare-manager,tenant-a"),
        ("*,gshare-manager,tenant-a,tenant-a", "gluster-node-1,gshare-manager,tenant-a"),
        ("legacy\thost tenant-[ab]", "gluster-node-1,gshare-manager"),
    ] as [(String?, String)])
    func prepareNarrows(current: String?, expected: String) throws {
        let plan = PreparePlan.make(for: volume(["auth.ssl-allow": current]), systemCNs: try labSystemCNs())
        #expect(plan.settings == [VolumeSetting(key: "auth.ssl-allow", value: expected)])
        #expect(!plan.needsRestart && !plan.alreadyReady)
    }

    @Test("prepare sets only what differs: an equivalent list written differently is left alone")
    func prepareSkipsEquivalentList() throws {
        let plan = PreparePlan.make(for: volume(["auth.ssl-allow": "gluster-node-1 gshare-manager,,gluster-node-1"]), systemCNs: try labSystemCNs())
        #expect(plan.settings.isEmpty && plan.alreadyReady)
    }

    @Test("prepare puts auth.ssl-allow first, then server.ssl, client.ssl, server.dynamic-auth")
    func prepareOrder() throws {
        let plan = PreparePlan.make(
            for: volume(["auth.ssl-allow": nil, "server.ssl": "off", "client.ssl": "maybe", "server.dynamic-auth": "off"]),
            systemCNs: try labSystemCNs())
        #expect(plan.settings.map(\.key) == ["auth.ssl-allow", "server.ssl", "client.ssl", "server.dynamic-auth"])
        #expect(plan.settings.dropFirst().allSatisfy { $0.value == "on" })
    }

    @Test("a restart is needed only when server.ssl was not on and the volume is started")
    func restartRule() throws {
        let system = try labSystemCNs()
        #expect(PreparePlan.make(for: volume(["server.ssl": "off"]), systemCNs: system).needsRestart)
        #expect(PreparePlan.make(for: volume(["server.ssl": nil]), systemCNs: system).needsRestart)
        #expect(!PreparePlan.make(for: volume(status: .stopped, ["server.ssl": "off"]), systemCNs: system).needsRestart)
        #expect(!PreparePlan.make(for: volume(status: .created, ["server.ssl": nil]), systemCNs: system).needsRestart)
        #expect(!PreparePlan.make(for: volume(["client.ssl": "off"]), systemCNs: system).needsRestart)
        #expect(!PreparePlan.make(for: volume(["server.ssl": "Yes"]), systemCNs: system).needsRestart)
    }

    @Test("dynamic-auth unset is not rewritten; off is set back on")
    func prepareDynamicAuth() throws {
        let system = try labSystemCNs()
        #expect(PreparePlan.make(for: volume(["server.dynamic-auth": nil]), systemCNs: system).settings.isEmpty)
        #expect(PreparePlan.make(for: volume(["server.dynamic-auth": "off"]), systemCNs: system).settings == [VolumeSetting(key: "server.dynamic-auth", value: "on")])
    }

    @Test("with no system CNs and nothing exact to keep, no empty list is written and the volume stays not ready")
    func prepareNeverWritesAnEmptyList() {
        let plan = PreparePlan.make(for: volume(["auth.ssl-allow": "*"]), systemCNs: [])
        #expect(plan.settings.isEmpty && !plan.alreadyReady)
    }

    @Test("applying the plan to a started volume makes it ready", arguments: [
        ["server.ssl": nil, "client.ssl": nil, "auth.ssl-allow": nil, "server.dynamic-auth": nil],
        ["server.ssl": "maybe", "client.ssl": "0", "auth.ssl-allow": "tenant-?,tenant-b", "server.dynamic-auth": "disable"],
        ["auth.ssl-allow": "gshare-manager"],
    ] as [[String: String?]])
    func planMakesReady(changes: [String: String?]) throws {
        let system = try labSystemCNs()
        let before = volume(changes)
        let after = before.applying(PreparePlan.make(for: before, systemCNs: system))
        #expect(TLSPosture.evaluate(after, systemCNs: system).isReady)
        #expect(PreparePlan.make(for: after, systemCNs: system).settings.isEmpty)
    }
}

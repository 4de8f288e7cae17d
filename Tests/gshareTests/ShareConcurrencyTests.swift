//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterDriver
import Testing

/// Many gshare processes at once on the real lab: nothing lost, nothing claimed twice.
@Suite("gshare under concurrency and glusterd failures, against the real lab", .serialized)
struct ShareConcurrencyTests {
    /// Starts every command at once, then waits for each in turn (on this one thread).
    static func concurrently(_ lab: DriverLab, _ commands: [[String]]) async throws -> [ProcessResult] {
        let started = try commands.map { try lab.start($0) }
        var results: [ProcessResult] = []
        for process in started { results.append(try await process.finish()) }
        return results
    }

    @Test(.timeLimit(.minutes(5)))
    func thirtyTwoConcurrentAllowsAndDeniesOnOneVolumeLoseNothing() async throws {
        let volume = "gshare-pool-06-5G"
        let lab = try DriverLab(targets: [volume])
        try await lab.deleteAllShares()
        let created = try await lab.gshare("share", "create", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(try lab.json(created)["id"] as? String)
        defer { _ = try? lab.gshareBlocking("share", "delete", id) }
        let leaving = (1...16).map { "leaving-\($0)" }
        let joining = (1...16).map { "joining-\($0)" }
        for name in leaving {
            #expect(try await lab.gshare("access", "allow", id, "--cn", name).status == 0)
        }
        let commands = joining.map { ["access", "allow", id, "--cn", $0] } + leaving.map { ["access", "deny", id, "--cn", $0] }
        let results = try await Self.concurrently(lab, commands.shuffled())
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let list = try #require(try await DriverLab.options(of: volume)["auth.ssl-allow"])
        let expected = ["gluster-node-1", "gshare-manager"] + joining
        #expect(Set(list.split(separator: ",").map(String.init)) == Set(expected))
        #expect(list.split(separator: ",").count == expected.count)
    }

    /// Issue 12: locks were keyed by how the host is spelt; one volume is one lock now.
    @Test(.timeLimit(.minutes(3)))
    func twoSpellingsOfOneVolumeWaitForTheSameLock() async throws {
        let volume = "gshare-pool-02-1G"
        let numeric = try DriverLab(targets: [volume])
        try await numeric.deleteAllShares()
        let spelt = try DriverLab(targets: ["localhost:/\(volume)"], stateDirectory: numeric.state)
        let created = try await numeric.gshare("share", "create", "--name", "spelt", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        defer { _ = try? numeric.gshareBlocking("share", "delete", "spelt") }
        let info = try await runProcess("/usr/sbin/gluster", ["--mode=script", "--xml", "volume", "info", volume])
        let id = try #require(info.stdout.range(of: "<id>").flatMap { start in
            info.stdout[start.upperBound...].range(of: "</id>").map { String(info.stdout[start.upperBound..<$0.lowerBound]) }
        })

        // this test holds the volume's lock, as another gshare process would
        var held: VolumeLock? = try VolumeLock(stateDirectory: numeric.state.path, volumeID: id, volume: volume)
        let waiting = try spelt.start(["access", "allow", "spelt", "--cn", "tenant-a"])
        try await Task.sleep(for: .seconds(2))
        #expect(waiting.isRunning, "localhost:/\(volume) must wait for the lock 127.0.0.2:/\(volume) holds: it is one volume")
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager", "nothing written while locked")
        withExtendedLifetime(held) {}
        held = nil
        let done = try await waiting.finish()
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
    }

    /// Issue 12: DEL and C1 controls pass through gluster's XML and reached the terminal raw.
    @Test(.timeLimit(.minutes(3)))
    func controlCharactersInOptionValuesNeverReachTheTerminalRaw() async throws {
        let volume = "gshare-pool-01-1G"
        let lab = try DriverLab(targets: [volume])
        try await lab.deleteAllShares()
        let created = try await lab.gshare("share", "create", "--name", "ctl", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        defer { try? lab.deleteAllSharesBlocking() }
        let hostile = "gluster-node-1,gshare-manager,ten\u{7F}ant,x\u{9B}31mred,\u{202E}gnp.exe"
        #expect(try await runProcess("/usr/sbin/gluster", ["--mode=script", "volume", "set", volume, "auth.ssl-allow", hostile]).status == 0)
        for command in [["access", "list", "ctl"], ["status"], ["doctor"], ["pool", "check"]] {
            let result = try await lab.gshare(command)
            let shown = result.stdout + result.stderr
            #expect(!shown.unicodeScalars.contains { $0.value == 0x7F || $0.value == 0x9B || $0.value == 0x202E }, "\(command): raw control characters")
            #expect(shown.contains("ten\\x7Fant") || command == ["pool", "check"], "\(command): \(shown)")
            #expect(shown.contains("x\\u{9B}31mred"), "\(command): \(shown)")
        }
        #expect(try await runProcess("/usr/sbin/gluster", ["--mode=script", "volume", "set", volume, "auth.ssl-allow", "gluster-node-1,gshare-manager"]).status == 0)
    }

    /// Issue 12: two `share create --name dup` at once both succeeded.
    @Test(.timeLimit(.minutes(5)))
    func creatorsOfOneNameAtOnceGetOneShare() async throws {
        let volumes = ["gshare-pool-01-1G", "gshare-pool-02-1G"]
        let lab = try DriverLab(targets: volumes)
        try await lab.deleteAllShares()
        defer { try? lab.deleteAllSharesBlocking() }
        let results = try await Self.concurrently(lab, Array(repeating: ["share", "create", "--name", "dup", "--json"], count: 3))
        #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map { "\($0.status) \($0.stderr)" })")
        #expect(results.filter { $0.status == 1 }.allSatisfy { $0.stderr.contains("'dup'") })
        let list = try lab.json(try await lab.gshare("share", "list", "--json"))
        #expect((list["shares"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } == ["dup"])
        // the volume that lost the race is free again
        let pool = try lab.json(try await lab.gshare("pool", "list", "--json"))
        #expect((pool["volumes"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "free" }.count == 1)
    }

    @Test(.timeLimit(.minutes(5)))
    func processesCreatingAtOnceNeverClaimTheSameVolume() async throws {
        let volumes = ["gshare-pool-01-1G", "gshare-pool-02-1G"]
        let lab = try DriverLab(targets: volumes)
        try await lab.deleteAllShares()
        defer { try? lab.deleteAllSharesBlocking() }
        let results = try await Self.concurrently(lab, Array(repeating: ["share", "create", "--json"], count: 3))
        let succeeded = results.filter { $0.status == 0 }
        let refused = results.filter { $0.status == 1 }
        #expect(succeeded.count == 2 && refused.count == 1, "\(results.map { "\($0.status) \($0.stderr)" })")
        let claimed = try succeeded.map { try #require(try lab.json($0)["volume"] as? String) }
        #expect(Set(claimed) == Set(volumes))
        #expect(refused.first?.stderr.contains("no free volume") == true)
        // what the volumes say agrees with what the processes were told
        for result in succeeded {
            let share = try lab.json(result)
            let volume = try #require(share["volume"] as? String)
            #expect(try await DriverLab.options(of: volume)["user.gshare.share"] == share["id"] as? String)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func glusterdGoneBetweenReadAndWriteChangesNothingAndTheSameCommandThenConverges() async throws {
        let volume = "gshare-pool-03-2G"
        let lab = try DriverLab(targets: [volume])
        try await lab.deleteAllShares()
        let created = try await lab.gshare("share", "create", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(try lab.json(created)["id"] as? String)
        defer { _ = try? lab.gshareBlocking("share", "delete", id) }

        // A gluster CLI whose writes go to an address where no glusterd answers: the real CLI
        // prints its real "Connection failed" exactly as when glusterd stops between the read
        // and the write. (Stopping the lab's one glusterd would break the suites running in
        // parallel.)
        let wrapper = lab.folder.appendingPathComponent("gluster-dies-before-write").path
        try """
            #!/bin/sh
            for a in "$@"; do [ "$a" = set ] && exec /usr/sbin/gluster --remote-host=127.0.0.3 "$@"; done
            exec /usr/sbin/gluster "$@"
            """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
        let broken = try DriverLab(targets: [volume], extra: "gluster_cli = \"\(wrapper)\"", stateDirectory: lab.state)

        let before = try await DriverLab.options(of: volume)
        let failed = try await broken.gshare("access", "allow", id, "--cn", "tenant-a")
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("glusterd does not answer"), "\(failed.stderr)")
        #expect(try await DriverLab.options(of: volume) == before)

        // glusterd unreachable from the start: the same clear error, nothing changed
        let down = try DriverLab(targets: [volume], extra: "gluster_cli = \"\(wrapper)-all\"", stateDirectory: lab.state)
        try "#!/bin/sh\nexec /usr/sbin/gluster --remote-host=127.0.0.3 \"$@\"\n".write(toFile: wrapper + "-all", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper + "-all")
        for command in [["pool", "list"], ["share", "create"], ["access", "allow", id, "--cn", "tenant-a"], ["share", "delete", id]] {
            let result = try await down.gshare(command)
            #expect(result.status == 2, "\(command): \(result.status)")
            #expect(result.stderr.contains("glusterd does not answer"), "\(command): \(result.stderr)")
        }
        #expect(try await DriverLab.options(of: volume) == before)

        // glusterd back: the same command converges
        let converged = try await lab.gshare("access", "allow", id, "--cn", "tenant-a")
        #expect(converged.status == 0, "\(converged.stderr)")
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
    }

    @Test(.timeLimit(.minutes(3)))
    func aFailedWipeLeavesTheVolumeNeedsWipeNeverHandedOutAndReRunningDeleteFinishes() async throws {
        let volume = "gshare-pool-03-2G"
        let lab = try DriverLab(targets: [volume])
        try await lab.deleteAllShares()
        let created = try await lab.gshare("share", "create", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(try lab.json(created)["id"] as? String)
        #expect(try await lab.gshare("access", "allow", id, "--cn", "tenant-a").status == 0)
        try await lab.fill(volume, as: "tenant-a", files: 10)

        // gshare's identity with a CA that does not verify the server: the wipe cannot connect
        let manager = try lab.lab.identity(named: lab.lab.managerCN)
        let wrongCA = try DriverLab(targets: [volume], stateDirectory: lab.state)
        var text = try String(contentsOfFile: wrongCA.config, encoding: .utf8)
        text = text.replacingOccurrences(of: "manager_ca = \"\(manager.ca)\"", with: "manager_ca = \"\(lab.lab.tenantRoot)\"")
        try text.write(toFile: wrongCA.config, atomically: true, encoding: .utf8)
        let failed = try await wrongCA.gshare("share", "delete", id)
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("stays marked needs-wipe"), "\(failed.stderr)")
        let options = try await DriverLab.options(of: volume)
        #expect(options["user.gshare.state"] == "needs-wipe")
        #expect(options["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
        #expect(try await lab.accessTest(volume, as: "tenant-a") == 1)
        // never handed out, no grants meanwhile
        #expect(try await lab.gshare("share", "create").status == 1)
        let allow = try await lab.gshare("access", "allow", id, "--cn", "tenant-a")
        #expect(allow.status == 1 && allow.stderr.contains("being deleted"))
        // re-running the delete finishes the job
        let finished = try await lab.gshare("share", "delete", id)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(try await lab.contents(of: volume) == [])
        #expect(try await DriverLab.options(of: volume)["user.gshare.state"] == "NONE")
    }
}

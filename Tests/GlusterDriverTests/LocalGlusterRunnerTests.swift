//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import GlusterDriver

/// The local runner against the real lab's glusterd (scripts/gluster-lab up).
@Suite("LocalGlusterRunner and GlusterCLI against the real lab")
struct LocalGlusterRunnerTests {
    typealias Lab = LabDescription

    @Test(.timeLimit(.minutes(1)))
    func oneCallReadsTheWholePoolWithItsTLSPosture() async throws {
        let lab = try Lab.load()
        let volumes = try await GlusterCLI().volumeInfo()
        let byName = Dictionary(uniqueKeysWithValues: volumes.map { ($0.name, $0) })
        for pool in lab.pool {
            let volume = try #require(byName[pool.name], "\(pool.name) is missing")
            #expect(volume.status == .started)
            #expect(volume.option("server.ssl") == "on" && volume.option("client.ssl") == "on")
            #expect(volume.option("auth.ssl-allow")?.split(separator: ",").contains("gshare-manager") == true)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnknownVolumeIsReportedAsSuch() async throws {
        _ = try Lab.load()
        await #expect {
            try await GlusterCLI().volumeInfo("gshare-no-such-volume")
        } throws: { ($0 as? GlusterDriverError)?.code == .unknownVolume }
    }

    @Test func hostileVolumeNamesReachGlusterAsOneArgumentNotAShell() async throws {
        _ = try Lab.load()
        let marker = "/tmp/gshare-injection-\(UUID().uuidString)"
        await #expect {
            try await GlusterCLI().volumeInfo("x;touch \(marker)")
        } throws: { $0 is GlusterDriverError }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aMissingCLIIsARunnerFailureNamingIt() async {
        await #expect {
            try await GlusterCLI(runner: LocalGlusterRunner(executable: "/nonexistent/gluster")).volumeInfo()
        } throws: { error in
            (error as? GlusterDriverError)?.code == .runnerFailed && "\(error)".contains("/nonexistent/gluster")
        }
    }

    @Test func aHungCLIIsStoppedAtTheTimeout() async throws {
        // A stand-in "gluster" that ignores its arguments and hangs.
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hung = folder.appendingPathComponent("gluster").path
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: hung, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hung)
        let start = Date()
        await #expect {
            try await LocalGlusterRunner(executable: hung, timeout: .milliseconds(300)).run(["volume", "info", "all"])
        } throws: { error in
            // timed-out (was runner-failed until issue 13: a command past its deadline was
            // sent, and its outcome is unknown, which a change must tell apart)
            (error as? GlusterDriverError)?.code == .timedOut && "\(error)".contains("did not finish")
        }
        // The stand-in sleeps 30 s: returning well before proves it was killed. (A generous
        // bound: the suites run in parallel on 2 cores, so seconds of scheduling delay happen.)
        #expect(Date().timeIntervalSince(start) < 25)
    }

    /// A stand-in "gluster" running `script` (sh), in a fresh directory; remove the directory after.
    static func standIn(_ script: String) throws -> (folder: URL, path: String) {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("gluster").path
        try "#!/bin/sh\n\(script)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (folder, path)
    }

    @Test func theCLIGetsScriptModeAndXMLFirstThenTheArgumentsAsGiven() async throws {
        let (folder, path) = try Self.standIn(#"printf '%s|' "$@"; echo warning >&2; exit 2"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try await LocalGlusterRunner(executable: path).run(["volume", "info", "a b;c"])
        #expect(output.exitStatus == 2)  // a result, not an error
        #expect(String(decoding: output.standardOutput, as: UTF8.self) == "--mode=script|--xml|volume|info|a b;c|")
        #expect(output.standardError == "warning\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func outputPastTheLimitIsARunnerFailureNamingTheLimit() async throws {
        let (folder, path) = try Self.standIn("exec yes '<cliOutput>'")
        defer { try? FileManager.default.removeItem(at: folder) }
        var runner = LocalGlusterRunner(executable: path, timeout: .seconds(60))
        runner.standardOutputLimit = 1 << 16
        await #expect {
            try await runner.run(["volume", "info", "all"])
        } throws: { error in
            (error as? GlusterDriverError)?.code == .runnerFailed && "\(error)".contains("more than 65536 bytes on stdout")
                && "\(error)".contains("standardOutputLimit")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aCLIKilledByASignalIsARunnerFailureNotAnExitStatus() async throws {
        let (folder, path) = try Self.standIn("echo 'segfault here' >&2; kill -SEGV $$")
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect {
            try await LocalGlusterRunner(executable: path).run(["volume", "info", "all"])
        } throws: { error in
            (error as? GlusterDriverError)?.code == .runnerFailed && "\(error)".contains("killed by signal \(SIGSEGV)")
                && "\(error)".contains("segfault here")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTheTaskStopsTheCLI() async throws {
        let (folder, path) = try Self.standIn("exec sleep 30")
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = ContinuousClock.now
        let task = Task { try await LocalGlusterRunner(executable: path).run(["volume", "info", "all"]) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - start < .seconds(25))  // not the 30 s sleep
    }
}

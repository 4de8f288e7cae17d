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
            (error as? GlusterDriverError)?.code == .runnerFailed && "\(error)".contains("did not finish")
        }
        // The stand-in sleeps 30 s: returning well before proves it was killed. (A generous
        // bound: the suites run in parallel on 2 cores, so seconds of scheduling delay happen.)
        #expect(Date().timeIntervalSince(start) < 25)
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// A process that exits while other threads are inside OpenSSL: with OpenSSL's own clean-up
/// at exit it crashes now and then (the freed global locks; seen in CI as `gshare status`
/// dying with SIGSEGV after its work was done), with ``OpenSSLLifetime`` never.
@Suite("OpenSSL's global state outlives every thread (exit while threads use OpenSSL)")
struct OpenSSLLifetimeTests {
    static let probe: String = {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("OpenSSLExitProbe").path
    }()
    static let certificate = corpusPath("cases/good-p256.pem")

    /// Runs the probe `times` times (or until the first crash, with `untilACrash`): how many
    /// runs crashed (ended by a signal), and the first crash's report. Throws when a run ended
    /// otherwise than by exit 0 or a signal.
    static func crashes(times: Int, untilACrash: Bool = false, extra: [String] = []) async throws -> (count: Int, first: String?) {
        var count = 0
        var first: String?
        for _ in 0..<times where !(untilACrash && count > 0) {
            let result = try await runProcess(probe, [certificate] + extra)
            // Anything but a clean exit or a signal is the probe failing to start its threads.
            try #require(result.signaled || result.status == 0, "the probe itself failed (\(result.status)): \(result.stderr)")
            if result.signaled {
                count += 1
                if first == nil { first = "signal \(result.status): \(result.stderr.prefix(600))" }
            }
        }
        return (count, first)
    }

    @Test(.timeLimit(.minutes(3)))
    func aProcessThatKeepsOpenSSLsStateExitsCleanlyWhileThreadsStillUseIt() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.probe), "no probe at \(Self.probe)")
        let kept = try await Self.crashes(times: 60)
        #expect(kept.count == 0, "crashed \(kept.count) of 60 times: \(kept.first ?? "")")
    }

    /// The hazard is real on this machine (so the test above can fail): with OpenSSL's
    /// clean-up at exit, the same process crashes within a few runs (about every second run
    /// here; up to 150 runs are allowed).
    @Test(.timeLimit(.minutes(3)))
    func withOpenSSLsCleanUpAtExitTheSameProcessCrashesSometimes() async throws {
        let cleaned = try await Self.crashes(times: 150, untilACrash: true, extra: ["--openssl-cleanup-at-exit"])
        #expect(cleaned.count > 0, "never crashed in 150 runs: the probe no longer shows the hazard")
    }
}

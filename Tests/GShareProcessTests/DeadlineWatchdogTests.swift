//===----------------------------------------------------------------------===//
// gshare — GShareProcess tests
//===----------------------------------------------------------------------===//

import Dispatch
import Foundation
import GShareTestSupport
import Synchronization
import Testing

@testable import GShareProcess

/// The deadline kill comes from a thread of its own, not from the pools that may be busy.
@Suite("The deadline watchdog")
struct DeadlineWatchdogTests {
    @Test(.timeLimit(.minutes(5)))
    func theDeadlineKillsOnTimeWhileTheConcurrencyAndDispatchPoolsAreBlocked() async throws {
        guard SoloRun.isInside(#function) else {
            // Blocking every pool thread for 10 s would stall the other suites: run alone.
            return try await SoloRun.expectPasses(suite: "DeadlineWatchdogTests", test: #function)
        }
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("pid").path
        let started = MonotonicInstant.now()
        let run = Task {
            try await ChildProcess(executable: "/bin/sh", arguments: ["-c", #"echo $$ > "$0"; exec sleep 30"#, pidFile]).run(
                deadline: .seconds(1))
        }
        var pid: Int32?
        while pid == nil {
            try await Task.sleep(for: .milliseconds(2))
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { $0.hasSuffix("\n") ? Int32($0.dropLast()) : nil }
        }
        let death = DeathWatch(pid: try #require(pid))

        // Every thread of both pools blocks until 10 s from now (from well before the 1 s
        // deadline): more blockers than threads, each sleeping until that instant.
        let blockers = ProcessInfo.processInfo.activeProcessorCount * 4 + 8
        let blockedAt = MonotonicInstant.now()
        let blockedUntil = blockedAt.advanced(by: .seconds(10))
        let block: @Sendable () -> Void = {
            while MonotonicInstant.now() < blockedUntil { usleep(10_000) }
        }
        for _ in 0..<blockers {
            DispatchQueue.global().async(execute: block)
            Task.detached(operation: block)
        }

        let result = try await run.value
        let diedAt = try #require(death.wait(), "the child never died")
        let killedAfter = Duration.nanoseconds(Int64(diedAt.nanoseconds - started.nanoseconds))
        print("pools blocked \(Duration.nanoseconds(Int64(blockedAt.nanoseconds - started.nanoseconds))) after the start; child dead after \(killedAfter); run returned after \(result.elapsed)")
        #expect(result.termination == .killedAtDeadline)
        // Dead long before the pools were free again (a generous bound: 2 loaded cores).
        #expect(killedAfter >= .seconds(1) && killedAfter < .seconds(5))
        // The pools really were blocked: the run could return only after them.
        #expect(result.elapsed > .seconds(5))
    }
}

/// Notes when a process died (a zombie, or gone), from a plain thread polling /proc.
final class DeathWatch: Sendable {
    private let diedAt = Mutex<MonotonicInstant?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(pid: Int32) {
        Thread { self.watch(pid) }.start()
    }

    private func watch(_ pid: Int32) {
        let limit = MonotonicInstant.now().advanced(by: .seconds(60))
        while MonotonicInstant.now() < limit {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let state = stat.lastIndex(of: ")").map { stat[stat.index(after: $0)...].split(separator: " ").first ?? "" } ?? ""
            if stat.isEmpty || state == "Z" {
                diedAt.withLock { $0 = MonotonicInstant.now() }
                break
            }
            usleep(2000)
        }
        done.signal()
    }

    /// When it died; nil when it was still alive after 60 s.
    func wait() -> MonotonicInstant? {
        done.wait()
        return diedAt.withLock { $0 }
    }
}

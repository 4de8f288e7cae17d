//===----------------------------------------------------------------------===//
// gshare — GShareProcess tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Synchronization
import Testing

@testable import GShareProcess

/// Runs, results and errors of ``ChildProcess`` with real (small) programs.
@Suite("Child processes: results, limits, stdin, environment, errors")
struct ChildProcessTests {
    static let shell = "/bin/sh"

    func sh(_ script: String) -> ChildProcess { ChildProcess(executable: Self.shell, arguments: ["-c", script]) }

    @Test(.timeLimit(.minutes(1)))
    func stdinBytesComeBackUnchangedThroughCat() async throws {
        // Every byte value, NUL included, and more than a pipe holds (64 KiB).
        let input = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let result = try await ChildProcess(executable: "/bin/cat").run(input: input, limits: ChildOutputLimits(standardOutput: 4 << 20))
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput == input)
        #expect(result.standardError.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutInputTheChildReadsEndOfFileAtOnce() async throws {
        let result = try await ChildProcess(executable: "/bin/cat").run(deadline: .seconds(30))
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func aNonZeroExitIsAResultWithItsOutputNotAnError() async throws {
        let result = try await sh("echo out; echo oops >&2; exit 3").run()
        #expect(result.termination == .exited(3))
        #expect(!result.termination.isSuccess)
        #expect(result.standardOutput == Array("out\n".utf8))
        #expect(result.standardErrorText == "oops")
        #expect(result.processIdentifier != nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func aChildKilledByASignalIsReportedWithTheSignal() async throws {
        let result = try await sh("kill -TERM $$").run(deadline: .seconds(30))
        #expect(result.termination == .signaled(SIGTERM))
        #expect(result.termination.description == "was killed by signal \(SIGTERM)")
    }

    @Test(.timeLimit(.minutes(1)))
    func theDeadlineKillsAChildThatRunsTooLong() async throws {
        let result = try await ChildProcess(executable: "/bin/sleep", arguments: ["30"]).run(deadline: .milliseconds(300))
        #expect(result.termination == .killedAtDeadline)
        // It sleeps 30 s: ending well before proves the kill (loose bound: 2 loaded cores).
        #expect(result.elapsed >= .milliseconds(300) && result.elapsed < .seconds(20))
    }

    @Test(.timeLimit(.minutes(1)))
    func theDeadlineStillHoldsForAChildThatClosedItsOutputAndLingers() async throws {
        let result = try await sh("exec >&- 2>&- </dev/null; exec sleep 30").run(deadline: .milliseconds(500))
        #expect(result.termination == .killedAtDeadline)
        #expect(result.elapsed < .seconds(20))
    }

    @Test(.timeLimit(.minutes(1)))
    func aGrandchildHoldingThePipesDoesNotKeepTheRunOpen() async throws {
        // The child exits at once; a background sleep keeps stdout open for 30 s.
        let result = try await sh("sleep 30 & echo started").run(deadline: .seconds(60))
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput == Array("started\n".utf8))
        #expect(result.elapsed < .seconds(20))
    }

    @Test(.timeLimit(.minutes(1)))
    func stdoutPastItsLimitKillsTheChildAndTheErrorNamesCommandAndLimit() async throws {
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess(executable: "/usr/bin/yes", arguments: ["gshare"]).run(limits: ChildOutputLimits(standardOutput: 65536))
        }
        #expect(error?.code == .outputLimitExceeded)
        #expect(error?.message.contains("65536 bytes on stdout") == true)
        #expect(error?.description.hasPrefix("/usr/bin/yes gshare:") == true)
        #expect(error?.fix.isEmpty == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func stderrPastItsLimitIsAnErrorToo() async throws {
        let error = await #expect(throws: ChildProcessError.self) {
            try await sh("exec yes gshare >&2").run(limits: ChildOutputLimits(standardError: 1000))
        }
        #expect(error?.code == .outputLimitExceeded)
        #expect(error?.message.contains("1000 bytes on stderr") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func outputExactlyAtTheLimitIsAccepted() async throws {
        let result = try await sh("printf 12345").run(limits: ChildOutputLimits(standardOutput: 5))
        #expect(result.standardOutput == Array("12345".utf8))
        #expect(result.termination == .exited(0))
    }

    @Test(.timeLimit(.minutes(1)))
    func aMissingExecutableIsNamedWithTheFix() async throws {
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess(executable: "/nonexistent/gshare-tool", arguments: ["x"]).run()
        }
        #expect(error?.code == .executableNotFound)
        #expect(error?.description.contains("/nonexistent/gshare-tool") == true)
        #expect(error?.fix.contains("install") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFileThatIsNotExecutableCannotBeStarted() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("not-a-program")
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: file)
        let error = await #expect(throws: ChildProcessError.self) { try await ChildProcess(executable: file.path).run() }
        #expect(error?.code == .executableNotFound || error?.code == .spawnFailed)
        #expect(error?.description.contains(file.path) == true)
    }

    @Test func aNULByteInAnArgumentIsRefusedBeforeAnythingStarts() async throws {
        let marker = "/tmp/gshare-nul-\(UUID().uuidString)"
        let error = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess(executable: "/usr/bin/touch", arguments: ["\(marker)\0ignored"]).run()
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("argument 1") == true)
        #expect(!FileManager.default.fileExists(atPath: marker))
        let environment = await #expect(throws: ChildProcessError.self) {
            try await ChildProcess(executable: "/usr/bin/env", environment: .custom(["A=B": "1"])).run()
        }
        #expect(environment?.code == .invalidArgument)
    }

    @Test func hostileArgumentsArriveAsOneArgumentEach() async throws {
        let arguments = ["a b", "$(touch /tmp/x)", "'\"", ";", "*", "-n", ""]
        let result = try await ChildProcess(executable: "/usr/bin/printf", arguments: ["%s|"] + arguments).run()
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == arguments.map { $0 + "|" }.joined())
    }

    @Test func theEnvironmentIsInheritedUpdatedOrReplaced() async throws {
        let custom = try await ChildProcess(executable: "/usr/bin/env", environment: .custom(["GSHARE_A": "1"])).run()
        #expect(String(decoding: custom.standardOutput, as: UTF8.self) == "GSHARE_A=1\n")
        let updated = try await ChildProcess(executable: "/usr/bin/env", environment: .inheritUpdating(["GSHARE_B": "two words"])).run()
        let lines = String(decoding: updated.standardOutput, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains("GSHARE_B=two words"))
        #expect(lines.contains { $0.hasPrefix("PATH=") })
    }

    @Test func theWorkingDirectoryIsTheOneAskedFor() async throws {
        let result = try await ChildProcess(executable: "/bin/pwd", workingDirectory: "/usr/share").run()
        #expect(result.standardOutput == Array("/usr/share\n".utf8))
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTheTaskKillsTheChildAndReportsCancelled() async throws {
        let task = Task { try await ChildProcess(executable: "/bin/sleep", arguments: ["30"]).run(deadline: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = try await task.value
        #expect(result.termination == .cancelled)
        #expect(result.processIdentifier != nil)
        #expect(result.elapsed < .seconds(20))  // not the 30 s sleep
    }

    @Test func anAlreadyCancelledTaskStartsNoChild() async throws {
        let marker = "/tmp/gshare-cancelled-\(UUID().uuidString)"
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ChildProcess(executable: "/usr/bin/touch", arguments: [marker]).run()
        }
        let result = try await task.value
        #expect(result.termination == .cancelled)
        #expect(result.processIdentifier == nil)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    // MARK: - Streaming

    @Test(.timeLimit(.minutes(1)))
    func linesArriveInOrderAndALastLineNeedsNoNewline() async throws {
        let lines = Mutex<[String]>([])
        let result = try await sh("printf 'a\\nbb\\n\\nccc'; echo err >&2").stream(maxLineLength: 16, standardErrorTail: 64) { line in
            lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
        }
        #expect(lines.withLock { $0 } == ["a", "bb", "", "ccc"])
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardErrorText == "err")
    }

    @Test(.timeLimit(.minutes(1)))
    func manyLinesSplitAcrossReadsAllArrive() async throws {
        let count = Mutex(0)
        let last = Mutex("")
        let result = try await sh("seq 1 200000").stream(maxLineLength: 16, standardErrorTail: 64) { line in
            count.withLock { $0 += 1 }
            last.withLock { $0 = String(decoding: line, as: UTF8.self) }
        }
        #expect(result.termination == .exited(0))
        #expect(count.withLock { $0 } == 200_000)
        #expect(last.withLock { $0 } == "200000")
    }

    @Test(.timeLimit(.minutes(1)))
    func stderrKeepsOnlyItsTail() async throws {
        let result = try await sh("seq 1 20000 >&2").stream(maxLineLength: 16, standardErrorTail: 100) { _ in }
        #expect(result.standardError.count == 100)
        #expect(result.standardErrorText.hasSuffix("19999\n20000"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aLineLongerThanTheBoundIsAProtocolErrorAndTheChildIsKilled() async throws {
        // One endless line: without the bound this would grow until memory runs out.
        let error = await #expect(throws: ChildProcessError.self) {
            try await sh("echo first; echo why >&2; yes | tr -d '\\n'").stream(maxLineLength: 4096, standardErrorTail: 1024) { _ in }
        }
        #expect(error?.code == .lineTooLong)
        #expect(error?.message.contains("4096") == true)
        #expect(error?.standardError == "why")
    }

    @Test(.timeLimit(.minutes(1)))
    func aChildThatExitsWithoutReadingItsInputCannotHurtThisProcess() async throws {
        // Through a pipe, 8 MiB to a child that never reads would end in EPIPE/SIGPIPE.
        let input = [UInt8](repeating: 0x61, count: 8 << 20)
        let result = try await ChildProcess(executable: "/bin/true").run(input: input)
        #expect(result.termination == .exited(0))
        let streamed = try await sh("exit 4").stream(input: input, maxLineLength: 16, standardErrorTail: 16) { _ in }
        #expect(streamed.termination == .exited(4))
    }

    @Test(.timeLimit(.minutes(1)))
    func aStreamedRunIsCancelledLikeAnyOther() async throws {
        let seen = Mutex(false)
        let task = Task {
            try await sh("echo ready; exec sleep 30").stream(deadline: .seconds(60), maxLineLength: 64, standardErrorTail: 64) { _ in
                seen.withLock { $0 = true }
            }
        }
        while !seen.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let result = try await task.value
        #expect(result.termination == .cancelled)
        #expect(result.elapsed < .seconds(20))
    }
}

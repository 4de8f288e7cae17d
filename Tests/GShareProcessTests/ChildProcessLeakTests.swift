//===----------------------------------------------------------------------===//
// gshare — GShareProcess tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterDriver
import GlusterFSAPI
import Synchronization
import Testing

@testable import GShareProcess

/// Thousands of child processes through the real code paths leave nothing behind.
@Suite("Child process leaks")
struct ChildProcessLeakTests {
    static let runs = 2_000
    static let concurrency = 8

    /// Stand-in programs in a temporary directory.
    struct StandIns {
        let directory: URL
        let chatty: String  // prints XML-ish stdout and a stderr line
        let hung: String  // sleeps 30 s
        let flooding: String  // prints forever
        let stuckWorker: String  // never answers

        init() throws {
            let directory = try makeTemporaryDirectory()
            func script(_ name: String, _ body: String) throws -> String {
                let path = directory.appendingPathComponent(name).path
                try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
                return path
            }
            self.directory = directory
            chatty = try script("chatty", #"echo "<cliOutput>$*</cliOutput>"; echo note >&2"#)
            hung = try script("hung", "exec sleep 30")
            flooding = try script("flooding", "exec yes flood")
            stuckWorker = try script("stuck-worker", "exec sleep 30")
        }
    }

    /// One kind of run, and whether it ended the way it should.
    static func run(_ index: Int, _ standIns: StandIns) async -> String? {
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        do {
            switch index % 20 {
            case 0:  // a timeout: the watchdog kills the hung CLI
                do {
                    _ = try await LocalGlusterRunner(executable: standIns.hung, timeout: .milliseconds(50)).run(["volume", "info"])
                    return "timeout \(index): no error"
                } catch let error as GlusterDriverError where error.message.contains("did not finish") { return nil }
            case 1:  // output past the limit
                var runner = LocalGlusterRunner(executable: standIns.flooding, timeout: .seconds(60))
                runner.standardOutputLimit = 1 << 16
                do {
                    _ = try await runner.run(["volume", "info"])
                    return "flood \(index): no error"
                } catch let error as GlusterDriverError where error.message.contains("more than 65536 bytes") { return nil }
            case 2:  // a missing executable, down to the spawn
                do {
                    _ = try await ChildProcess(executable: "/nonexistent/gshare-leak-test/gluster").run(deadline: .seconds(60))
                    return "missing \(index): no error"
                } catch let error as ChildProcessError where error.code == .executableNotFound { return nil }
            case 3:  // a missing CLI, refused before any spawn
                do {
                    _ = try await LocalGlusterRunner(executable: "/nonexistent/gshare-leak-test/gluster").run(["volume", "info"])
                    return "missing CLI \(index): no error"
                } catch let error as GlusterDriverError where error.code == .runnerFailed { return nil }
            case 4:  // a non-zero exit
                let output = try await LocalGlusterRunner(executable: "/bin/false").run(["volume", "info"])
                return output.exitStatus == 1 ? nil : "false \(index): status \(output.exitStatus)"
            case 5:  // stdout and stderr
                let output = try await LocalGlusterRunner(executable: standIns.chatty).run(["volume", "info", "v\(index)"])
                let expected = "<cliOutput>--mode=script --xml volume info v\(index)</cliOutput>\n"
                return String(decoding: output.standardOutput, as: UTF8.self) == expected && output.standardError == "note\n"
                    ? nil : "chatty \(index): \(output)"
            case 6:  // cancelled while it runs (or before it starts)
                let task = Task { try await LocalGlusterRunner(executable: standIns.hung).run(["volume", "info"]) }
                try await Task.sleep(for: .milliseconds(index % 40 == 6 ? 0 : 5))
                task.cancel()
                do {
                    _ = try await task.value
                    return "cancel \(index): no error"
                } catch is CancellationError { return nil }
            case 7:  // streamed lines with stdin
                let lines = Mutex(0)
                let result = try await ChildProcess(executable: "/bin/sh", arguments: ["-c", "cat; seq 1 50"]).stream(
                    input: Array("a\nb\n".utf8), deadline: .seconds(60), maxLineLength: 64, standardErrorTail: 64
                ) { _ in lines.withLock { $0 += 1 } }
                return result.termination == .exited(0) && lines.withLock({ $0 }) == 52 ? nil : "stream \(index): \(result)"
            case 8 where index % 100 == 8:  // a worker that dies without a result
                do {
                    _ = try await IsolatedGlusterClient(workerPath: URL(fileURLWithPath: "/bin/false")).probe(connection)
                    return "worker \(index): no error"
                } catch let error as GlusterFSError where error.code == .workerFailed { return nil }
            case 8 where index % 100 == 48:  // a worker killed at its deadline
                var client = try IsolatedGlusterClient(workerPath: URL(fileURLWithPath: standIns.stuckWorker))
                client.killGrace = .milliseconds(50)
                let result = try await client.probe(connection, deadline: .milliseconds(100))
                return result.outcome == .timedOut ? nil : "stuck worker \(index): \(result.outcome)"
            case 8 where index % 100 == 88:  // a worker cancelled
                let client = try IsolatedGlusterClient(workerPath: URL(fileURLWithPath: standIns.stuckWorker))
                let task = Task { try await client.probe(connection, deadline: .seconds(60)) }
                try await Task.sleep(for: .milliseconds(5))
                task.cancel()
                do {
                    _ = try await task.value
                    return "cancelled worker \(index): no error"
                } catch let error as GlusterFSError where error.code == .cancelled { return nil }
            default:  // the common case: a CLI that exits 0 at once
                let output = try await LocalGlusterRunner(executable: "/bin/true").run(["volume", "info"])
                return output.exitStatus == 0 ? nil : "true \(index): status \(output.exitStatus)"
            }
        } catch {
            return "run \(index) (kind \(index % 20)): unexpected \(error)"
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func twoThousandRunsLeaveNoDescriptorAndNoChildBehind() async throws {
        guard SoloRun.isInside(#function) else {
            // Other suites open descriptors and start children meanwhile: count alone.
            return try await SoloRun.expectPasses(suite: "ChildProcessLeakTests", test: #function)
        }
        let standIns = try StandIns()
        defer { try? FileManager.default.removeItem(at: standIns.directory) }
        // Warm up: swift-subprocess opens its epoll and eventfd descriptors once, the
        // watchdog starts its thread once.
        for index in [0, 1, 2, 4, 5, 6, 7, 8, 48, 88, 9] {
            if let problem = await Self.run(index, standIns) { Issue.record("warm-up: \(problem)") }
        }
        let descriptorsBefore = Self.openDescriptors()
        let started = ContinuousClock.now

        let problems = await withTaskGroup(of: String?.self) { group in
            var next = 0
            var problems: [String] = []
            while next < Self.concurrency {
                let index = next
                group.addTask { await Self.run(index, standIns) }
                next += 1
            }
            for await problem in group {
                if let problem { problems.append(problem) }
                if next < Self.runs {
                    let index = next
                    group.addTask { await Self.run(index, standIns) }
                    next += 1
                }
            }
            return problems
        }
        print("\(Self.runs) runs, \(Self.concurrency) at a time, in \(ContinuousClock.now - started)")

        #expect(problems.isEmpty, "\(problems.count) runs ended otherwise than expected: \(problems.prefix(10))")
        let descriptorsAfter = Self.openDescriptors()
        #expect(
            descriptorsAfter.count == descriptorsBefore.count,
            """
            \(descriptorsBefore.count) descriptors before, \(descriptorsAfter.count) after
            new: \(descriptorsAfter.filter { !descriptorsBefore.contains($0) })
            gone: \(descriptorsBefore.filter { !descriptorsAfter.contains($0) })
            all after: \(descriptorsAfter)
            """)
        let children = Self.childProcesses()
        #expect(children.isEmpty, "child processes left (no zombies allowed): \(children)")
        #expect(Watchdog.shared.count == 0, "deadlines still registered with the watchdog")
    }

    /// `fd -> target` for every descriptor this process has open.
    static func openDescriptors() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        // The descriptor that listed the directory is closed by now: its link is unreadable.
        return entries.compactMap { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")).map { "\(fd) -> \($0)" }
        }.sorted()
    }

    /// `pid (name) state` of every process whose parent is this one, zombies included.
    static func childProcesses() -> [String] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            // pid (comm) state ppid …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == me else { return nil }
            return "\(entry) \(stat[open...close]) \(fields[0])"
        }
    }
}

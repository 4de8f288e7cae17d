//===----------------------------------------------------------------------===//
// gshare — GShareSSH tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import GShareTestSupport
import Testing

/// Running commands: exit statuses, signals, big outputs, reuse, timeouts, concurrency.
@Suite("Remote commands over SSH")
struct CommandTests {
    @Test(.timeLimit(.minutes(1)))
    func exitStatusesAndStandardErrorComeBack() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let seven = try await connection.run(["sh", "-c", "exit 7"])
        #expect(seven.exitStatus == 7)
        #expect(seven.exitSignal == nil)
        #expect(!seven.succeeded)
        let failing = try await connection.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(failing.exitStatus == 3)
        #expect(failing.stdout == "out\n")
        #expect(failing.stderr == "err\n")
        let missing = try await connection.run(["/no/such/program"])
        #expect(missing.exitStatus == 127)
        #expect(missing.stderr.contains("not found"))
        #expect(try await connection.run(["true"]).succeeded)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCommandKilledByASignalReportsTheSignal() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let result = try await connection.run(["sh", "-c", "kill -TERM $$"])
        #expect(result.exitSignal == "TERM")
        #expect(result.exitStatus == nil)
        let killed = try await connection.run(["sh", "-c", "kill -KILL $$"])
        #expect(killed.exitSignal == "KILL")
    }

    @Test(.timeLimit(.minutes(2)))
    func fourMegabytesOnEachStreamInterleavedArriveComplete() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        // 64 rounds of 64 KiB to stdout then 64 KiB to stderr: 4 MiB each, interleaved, far
        // beyond the channel window, so reading one stream to its end first would deadlock.
        let script = "i=0; while [ $i -lt 64 ]; do head -c 65536 /dev/urandom; head -c 65536 /dev/zero | tr '\\000' e >&2; i=$((i+1)); done"
        let start = ContinuousClock.now
        let result = try await connection.run(["sh", "-c", script])
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput.count == 4 * 1024 * 1024)
        #expect(result.standardError.count == 4 * 1024 * 1024)
        #expect(result.standardError.allSatisfy { $0 == UInt8(ascii: "e") })
        print("8 MiB over SSH in \(ContinuousClock.now - start)")
        let digest = try await connection.run(["sh", "-c", "head -c 3000000 /dev/zero | tr '\\000' x; echo; echo done >&2"])
        #expect(digest.standardOutput.count == 3_000_001)
        #expect(digest.stderr == "done\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func oneConnectionRunsManyCommandsOneAfterAnother() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        for i in 0..<20 {
            let result = try await connection.run(["echo", "command \(i)"])
            #expect(result.stdout == "command \(i)\n")
        }
        // Several tasks sharing it: serialised by the connection's lock, all complete.
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<8 { group.addTask { (i, try await connection.run(["echo", "\(i)"]).stdout) } }
            for try await (i, output) in group { #expect(output == "\(i)\n") }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aCommandThatOverrunsItsTimeoutIsCutOffAndTheConnectionClosed() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let start = ContinuousClock.now
        let error = await expectSSHError(.timedOut) { _ = try await connection.run(["sleep", "30"], timeout: .seconds(1)) }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .seconds(1))
        #expect(elapsed < .seconds(10), "cut off at the timeout, not at the command's end (\(elapsed))")
        #expect(error?.step == .exec)
        #expect(error?.message.contains("'sleep'") == true)
        #expect(error?.message.contains("1 s") == true, "\(error?.message ?? "")")
        #expect(connection.isClosed)
        _ = await expectSSHError(.connectionClosed) { _ = try await connection.run(["true"]) }
        // A new connection works at once.
        let again = try await lab.connect()
        defer { again.close() }
        #expect(try await again.run(["true"]).succeeded)
    }

    @Test(.timeLimit(.minutes(1)))
    func closingIsIdempotentAndLaterCommandsAreRefused() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        #expect(!connection.isClosed)
        connection.close()
        connection.close()
        #expect(connection.isClosed)
        _ = await expectSSHError(.connectionClosed) { _ = try await connection.run(["true"]) }
    }

    @Test(.timeLimit(.minutes(1)))
    func closingDuringACommandInterruptsIt() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        let start = ContinuousClock.now
        async let outcome: SSHCommandResult = connection.run(["sleep", "20"])
        try await Task.sleep(for: .milliseconds(500))
        connection.close()
        do {
            _ = try await outcome
            Issue.record("the command finished although the connection was closed")
        } catch let error as SSHError {
            #expect(error.code == .connectionClosed, "\(error.message)")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTheTaskCancelsTheCommand() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let start = ContinuousClock.now
        let task = Task { try await connection.run(["sleep", "20"]) }
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        _ = await expectSSHError(.cancelled) { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(connection.isClosed)
    }

    @Test(.timeLimit(.minutes(1)))
    func twoConnectionsWorkConcurrentlyFromTwoTasks() async throws {
        let lab = try SSHLab.load()
        async let first = Self.session(lab, host: "127.0.0.1", tag: "one")
        async let second = Self.session(lab, host: "127.0.0.2", tag: "two")
        let (a, b) = try await (first, second)
        #expect(a.map(\.output) == (0..<5).map { "one \($0)" })
        #expect(b.map(\.output) == (0..<5).map { "two \($0)" })
        // Proof of concurrency that does not depend on the machine's load: some command of
        // one connection ran while a command of the other was running (each takes 0.5 s).
        let overlapping = a.contains { x in b.contains { y in x.start < y.end && y.start < x.end } }
        #expect(overlapping, "the two connections' commands never ran at the same time")
    }

    @Test(.timeLimit(.minutes(1)))
    func theRemoteUserMayRunTheGlusterCLIThroughSudo() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        #expect(lab.remoteGluster == "sudo -n /usr/sbin/gluster")
        let result = try await connection.run(["sudo", "-n", "/usr/sbin/gluster", "--version"])
        #expect(result.exitStatus == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("glusterfs "))
        let other = try await connection.run(["sudo", "-n", "/bin/id"])
        #expect(other.exitStatus != 0, "only the gluster CLI is allowed")
    }

    private struct Timed: Sendable {
        let output: String
        let start: ContinuousClock.Instant
        let end: ContinuousClock.Instant
    }

    private static func session(_ lab: SSHLab, host: String, tag: String) async throws -> [Timed] {
        let connection = try await lab.connect(host: host)
        defer { connection.close() }
        var runs: [Timed] = []
        for i in 0..<5 {
            let start = ContinuousClock.now
            let result = try await connection.run(["sh", "-c", "sleep 0.5; echo \"$1\"", "sh", "\(tag) \(i)"])
            runs.append(Timed(output: result.stdout.trimmingCharacters(in: .newlines), start: start, end: .now))
        }
        return runs
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// The worker protocol and the parent's handling of it (no lab needed).
@Suite("The isolated worker's protocol")
struct WorkerMechanicsTests {
    @Test func aRequestSurvivesTheJSONRoundTrip() throws {
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: "127.0.0.2", volume: "v"),
            identity: GlusterTLSIdentity(directory: "/etc/ssl/tenant-a/"), transport: .requireTLS)
        for operation: WorkerOperation in [
            .probe(path: "/p"), .wipe(WipeOptions(emptyTrashcan: true, progressInterval: 7, batchSize: 9, parallelism: 3)),
            .fill(files: 3, directories: 2, root: "/r", bytesPerFile: 5), .statvfs(path: "/"), .walk(path: "/w", limit: 4),
        ] {
            let request = WorkerRequest(connection: connection, operation: operation, deadlineSeconds: 1.5, logFile: "/tmp/l")
            let decoded = try JSONDecoder().decode(WorkerRequest.self, from: JSONEncoder().encode(request))
            #expect(decoded == request)
        }
        for transport in GlusterTransportSecurity.known {
            var other = connection
            other.transport = transport
            #expect(try JSONDecoder().decode(GlusterConnection.self, from: JSONEncoder().encode(other)) == other)
        }
        #expect(connection.identity?.certificateChain == "/etc/ssl/tenant-a/glusterfs.pem")
        #expect(connection.address.description == "127.0.0.2:/v")
    }

    @Test func aWipeRequestWrittenBeforeParallelismExistedGetsTheDefaults() throws {
        let json = #"{"protocolVersion":1,"connection":{"address":{"host":"h","port":24007,"volume":"v"},"transport":"followVolume"},"operation":{"kind":"wipe","emptyTrashcan":false,"progressInterval":5,"batchSize":6},"deadlineSeconds":1}"#
        let request = try JSONDecoder().decode(WorkerRequest.self, from: Data(json.utf8))
        #expect(request.operation == .wipe(WipeOptions(emptyTrashcan: false, progressInterval: 5, batchSize: 6, parallelism: 1)))
        let options = try JSONDecoder().decode(WipeOptions.self, from: Data(#"{"batchSize":2}"#.utf8))
        #expect(options == WipeOptions(batchSize: 2))
        #expect(try JSONDecoder().decode(WipeOptions.self, from: JSONEncoder().encode(WipeOptions(parallelism: 4))).parallelism == 4)
    }

    @Test func anUnknownOperationIsRejectedWithTheKnownOnesNamed() throws {
        let json = #"{"protocolVersion":1,"connection":{"address":{"host":"h","port":24007,"volume":"v"},"transport":"followVolume"},"operation":{"kind":"format"},"deadlineSeconds":1}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkerRequest.self, from: Data(json.utf8)) }
    }

    @Test func aMissingWorkerIsReportedWithItsPathAndTheFix() throws {
        let error = #expect(throws: GlusterFSError.self) {
            try IsolatedGlusterClient(workerPath: URL(fileURLWithPath: "/nonexistent/gshare-gfapi-worker"))
        }
        #expect(error?.code == .workerUnavailable)
        #expect(error?.path == "/nonexistent/gshare-gfapi-worker")
        #expect(error?.message.contains("GSHARE_GFAPI_WORKER") == true)
    }

    @Test func theWorkerIsFoundThroughTheEnvironmentVariable() throws {
        let client = try IsolatedGlusterClient(environment: ["GSHARE_GFAPI_WORKER": workerURL.path])
        #expect(client.workerPath == workerURL.path)
    }

    @Test func theWorkerAnswersABadRequestWithAFailedResult() async throws {
        let result = try await runWorker(stdin: "not json")
        #expect(result.status == 2)
        let message = try JSONDecoder().decode(WorkerMessage.self, from: Data(result.stdout.utf8))
        #expect(message.event == "result")
        #expect(message.outcome == .failed)
        #expect(message.code == GlusterFSError.Code.invalidArgument.rawValue)
    }

    @Test(arguments: ["1e300", "-5", "0"])
    func theWorkerRefusesAnImpossibleDeadlineInsteadOfTrapping(_ seconds: String) async throws {
        let result = try await runWorker(
            stdin: #"{"protocolVersion":1,"connection":{"address":{"host":"127.0.0.3","port":24007,"volume":"v"},"transport":"followVolume"},"operation":{"kind":"statvfs"},"deadlineSeconds":"#
                + seconds + "}")
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        let message = try JSONDecoder().decode(WorkerMessage.self, from: Data(result.stdout.utf8))
        #expect(message.outcome == .failed)
        #expect(message.code == GlusterFSError.Code.invalidArgument.rawValue)
        #expect(message.message?.hasPrefix("deadlineSeconds ") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerThatDiesWithoutAResultIsAWorkerFailure() async throws {
        // /bin/false as the "worker": it exits 1 without a word.
        let client = try IsolatedGlusterClient(workerPath: URL(fileURLWithPath: "/bin/false"))
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let error = await #expect(throws: GlusterFSError.self) { try await client.probe(connection) }
        #expect(error?.code == .workerFailed)
        #expect(error?.message.contains("exited with status 1") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func nothingListeningIsReportedAsGlusterdUnreachableAtOnce() async throws {
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let result = try await IsolatedGlusterClient(workerPath: workerURL).probe(connection)
        #expect(result.outcome == .glusterdUnreachable)
        #expect(result.errno == ENOTCONN)
        // Reported as unreachable, not timedOut: it ended before the 20 s deadline. (No
        // wall-clock bound: under CI load gfapi's own connection retries take seconds.)
        #expect(result.elapsed < .seconds(20))
        #expect(result.logExcerpt.contains { $0.contains("127.0.0.3") })
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerThatIgnoresItsDeadlineIsKilledAndReportedAsTimedOut() async throws {
        // A stand-in worker that never answers: only the parent's SIGKILL ends it.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("stuck-worker")
        try Data("#!/bin/sh\nexec sleep 600\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        var client = try IsolatedGlusterClient(workerPath: script)
        client.killGrace = .milliseconds(200)
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)

        let result = try await client.probe(connection, deadline: .seconds(1))
        #expect(result.outcome == .timedOut)
        #expect(result.message.contains("killed"))
        // The stand-in sleeps 600 s: ending well before proves the kill. (A generous bound:
        // the suites run in parallel on 2 cores, so seconds of scheduling delay happen.)
        #expect(result.elapsed >= .seconds(1) && result.elapsed < .seconds(30))
        await #expect(throws: GlusterFSError(.timedOut, operation: "wipe")) {
            try await client.wipe(connection, deadline: .milliseconds(300))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aHangingWorkerDoesNotDelayOthersRunningAtTheSameTime() async throws {
        // If one worker inherited another's pipe ends, the quick ones would see EOF only
        // when the slow one exits.
        let listener = try SilentListener()
        let client = try IsolatedGlusterClient(workerPath: workerURL)
        let hanging = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", port: listener.port, volume: "v"), identity: nil)
        let unreachable = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let slow = Task { try await client.probe(hanging, deadline: .seconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        try await withThrowingTaskGroup(of: AccessProbeResult.self) { group in
            for _ in 0..<8 { group.addTask { try await client.probe(unreachable) } }
            for try await result in group {
                #expect(result.outcome == .glusterdUnreachable)
                // Well before the hanging one's 20 s deadline (loose: parallel suites, 2 cores).
                #expect(result.elapsed < .seconds(19))
            }
        }
        slow.cancel()
        await #expect(throws: GlusterFSError(.cancelled, operation: "probe")) { try await slow.value }
        withExtendedLifetime(listener) {}
    }

    /// A stand-in worker running `script` (sh); remove its directory after.
    func standInWorker(_ script: String) throws -> (directory: URL, client: IsolatedGlusterClient) {
        let directory = try makeTemporaryDirectory()
        let path = directory.appendingPathComponent("stand-in-worker")
        try Data("#!/bin/sh\n\(script)\n".utf8).write(to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return (directory, try IsolatedGlusterClient(workerPath: path))
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerThatWritesSomethingElseIsAWorkerFailureQuotingItAndItsStderr() async throws {
        let (directory, client) = try standInWorker("cat >/dev/null; echo hello; echo 'bad things' >&2; exit 3")
        defer { try? FileManager.default.removeItem(at: directory) }
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let error = await #expect(throws: GlusterFSError.self) { try await client.probe(connection) }
        #expect(error?.code == .workerFailed)
        #expect(error?.message.contains("exited with status 3") == true)
        #expect(error?.message.contains("not a protocol line: hello") == true)
        #expect(error?.message.contains("bad things") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func aWorkerThatCannotBeStartedIsUnavailableNotFailed() async throws {
        let (directory, client) = try standInWorker("exit 0")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Found at first, then no longer executable by the time it is run.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: client.workerPath)
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let error = await #expect(throws: GlusterFSError.self) { try await client.probe(connection) }
        #expect(error?.code == .workerUnavailable)
        #expect(error?.path == client.workerPath)
        #expect(error?.message.contains("cannot start the worker") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func anEndlessLineFromTheWorkerIsAWorkerFailureNotACrash() async throws {
        let (directory, client) = try standInWorker("yes | tr -d '\\n'")
        defer { try? FileManager.default.removeItem(at: directory) }
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let error = await #expect(throws: GlusterFSError.self) { try await client.statvfs(connection, deadline: .seconds(30)) }
        #expect(error?.code == .workerFailed)
        #expect(error?.message.contains("line of more than \(16 << 20) bytes") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func aResultCountsEvenWhenTheWorkerLingersAfterIt() async throws {
        let (directory, client) = try standInWorker(#"echo '{"event":"result","outcome":"ok","probeBytes":5}'; exec sleep 30"#)
        defer { try? FileManager.default.removeItem(at: directory) }
        var quick = client
        quick.killGrace = .milliseconds(100)
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.3", volume: "v"), identity: nil)
        let result = try await quick.probe(connection, deadline: .milliseconds(300))
        #expect(result.outcome == .ok)
        #expect(result.bytesVerified == 5)
        #expect(result.elapsed < .seconds(20))  // killed at the deadline, not after the 30 s sleep
    }

    /// Runs the worker with `stdin` as its input.
    func runWorker(stdin: String) async throws -> ProcessResult {
        let input = try makeTemporaryDirectory().appendingPathComponent("request.json")
        try Data(stdin.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input.deletingLastPathComponent()) }
        return try await runProcess("/bin/sh", ["-c", "exec \"$0\" < \"$1\"", workerURL.path, input.path])
    }
}

/// How glfs_init failures are told apart (log lines as recorded from the lab).
@Suite("Classifying glfs_init failures")
struct GlusterInitFailureTests {
    @Test func anAuthFailedLineMeansRefusedWhateverTheErrno() {
        let log = ["[2026-01-01 00:00:00.000000 +0000] I [MSGID: 114046] [client-handshake.c:1107:client_setvolume_cbk] 0-v-client-0: sending AUTH_FAILED event []"]
        #expect(GlusterInitFailure.classify(errno: EIO, log: log).outcome == .refusedByAuthAllow)
        #expect(GlusterInitFailure.classify(errno: 0, log: log).outcome == .refusedByAuthAllow)
    }

    @Test func errnoAloneSeparatesUnknownVolumesAndUnreachableGlusterd() {
        #expect(GlusterInitFailure.classify(errno: ENOENT, log: []).outcome == .unknownVolume)
        #expect(GlusterInitFailure.classify(errno: ENOTCONN, log: []).outcome == .glusterdUnreachable)
        #expect(GlusterInitFailure.classify(errno: EIO, log: []).outcome == .failed)
    }

    @Test func anExcerptKeepsProblemsAndFallsBackToTheLastLines() {
        let info = "[t] I [MSGID: 1] [glfs-mgmt.c:841:mgmt_rpc_notify] 0-glfs-mgmt: Failed to connect to remote-host"
        let error = "[t] E [MSGID: 2] [socket.c:1:x] 0-v-client-0: SSL connect error"
        #expect(GlusterInitFailure.excerpt([info, error]) == [error])
        #expect(GlusterInitFailure.excerpt([info]) == [info])
    }
}

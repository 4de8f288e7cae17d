//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

public import Foundation
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// The result of ``IsolatedGlusterClient/probe(_:path:deadline:)``: could this identity use
/// the volume, and if not, why.
public struct AccessProbeResult: Hashable, Sendable {
    public let connection: GlusterConnection
    /// ``GlusterAccessOutcome/ok`` when the identity connected and wrote, read back and
    /// removed a probe file.
    public let outcome: GlusterAccessOutcome
    /// gfapi's errno for a failure, else 0.
    public let errno: Int32
    /// The call that failed (`glfs_init`, `glfs_creat`…), nil when all went well.
    public let operation: String?
    /// What happened, and what to do about it.
    public let message: String
    /// The gfapi log lines that explain a failure.
    public let logExcerpt: [String]
    /// Bytes written and read back (0 unless ok).
    public let bytesVerified: Int
    /// From the worker's start until `glfs_init` returned (nil when it never did).
    public let connectTime: Duration?
    /// From spawning the worker until its result (or its end).
    public let elapsed: Duration

    /// True when the identity is in.
    public var isGranted: Bool { outcome == .ok }
}

/// Entries listed by ``IsolatedGlusterClient/walk(_:from:limit:deadline:)``.
public struct GlusterWalkListing: Hashable, Sendable {
    /// Depth first, parents before children.
    public let entries: [GlusterDirectoryEntry]
    /// True when the tree holds more than the limit.
    public let truncated: Bool
}

/// Uses GlusterFS volumes through `gshare-gfapi-worker`, one child process per call.
///
/// Why a process: `glfs_init` never returns when the bricks refuse the certificate's
/// common name and cannot be cancelled, and `glfs_fini` takes ~10 s. A thread stuck in
/// gfapi can never be reclaimed; a process can be killed. So every call spawns a worker,
/// which watches its gfapi log for `AUTH_FAILED` and answers at once, and this client
/// kills it (`SIGKILL`, by its PID) when the deadline passes or the calling task is
/// cancelled. The worker never runs `glfs_fini`: process exit reclaims everything, so no
/// call stalls on closing.
///
/// Connection failures are typed: ``probe(_:path:deadline:)`` returns them as
/// ``AccessProbeResult/outcome``; the other calls throw ``GlusterFSError`` with the
/// matching code (`refusedByAuthAllow`, `tlsRejected`, `glusterdUnreachable`,
/// `unknownVolume`, `volumeStopped`, `timedOut`, `cancelled`…).
public struct IsolatedGlusterClient: Sendable {
    /// The worker executable this client runs.
    public let workerPath: String
    /// Extra time past a deadline the worker gets to report `timedOut` itself (with its
    /// log) before it is killed.
    public var killGrace: Duration = .seconds(1)

    /// The environment variable that names the worker executable.
    public static let workerEnvironmentVariable = "GSHARE_GFAPI_WORKER"
    /// The worker's file name.
    public static let workerName = "gshare-gfapi-worker"

    /// A client running the worker at `workerPath`, or else the one named by
    /// `GSHARE_GFAPI_WORKER`, or else `gshare-gfapi-worker` beside the running executable.
    /// - Throws: ``GlusterFSError`` `workerUnavailable` when none of them is an executable file.
    public init(workerPath: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.workerPath = try Self.locateWorker(explicit: workerPath, environment: environment)
    }

    static func locateWorker(explicit: URL?, environment: [String: String]) throws -> String {
        let candidate: String
        let source: String
        if let explicit {
            (candidate, source) = (explicit.path, "the path given")
        } else if let fromEnvironment = environment[workerEnvironmentVariable], !fromEnvironment.isEmpty {
            (candidate, source) = (fromEnvironment, workerEnvironmentVariable)
        } else {
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            candidate = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(workerName).path
            source = "beside the running executable"
        }
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw GlusterFSError(
                .workerUnavailable, errno: ENOENT, operation: "locate worker", path: candidate,
                message: "no executable \(workerName) at \(candidate) (\(source)): build it (swift build --product \(workerName)) or set \(workerEnvironmentVariable)")
        }
        return candidate
    }

    // MARK: - Operations

    /// Connects as `connection.identity`, writes, reads back and removes a small file.
    ///
    /// - Parameters:
    ///   - path: the probe file; default `/.gshare-probe-<UUID>`.
    ///   - deadline: the worker is killed after this (outcome ``GlusterAccessOutcome/timedOut``).
    /// - Returns: the outcome, ok or the reason this identity cannot use the volume.
    /// - Throws: ``GlusterFSError`` only when the worker cannot run (`workerUnavailable`,
    ///   `workerFailed`) or the task is cancelled (`cancelled`).
    public func probe(_ connection: GlusterConnection, path: String? = nil, deadline: Duration = .seconds(20)) async throws
        -> AccessProbeResult
    {
        let path = path ?? "/.gshare-probe-\(UUID().uuidString)"
        let run = try await self.run(WorkerRequest(connection: connection, operation: .probe(path: path), deadlineSeconds: deadline.seconds), deadline: deadline)
        if run.result.outcome == .cancelled { throw run.error }
        return AccessProbeResult(
            connection: connection, outcome: run.result.outcome ?? .failed, errno: run.result.errno ?? 0,
            operation: run.result.outcome == .ok ? nil : run.result.operation,
            message: run.result.message ?? "", logExcerpt: run.result.log ?? [], bytesVerified: run.result.probeBytes ?? 0,
            connectTime: run.result.connectMilliseconds.map { .milliseconds($0) }, elapsed: run.elapsed)
    }

    /// Deletes everything in the volume except `/.trashcan` (see
    /// ``GlusterVolume/wipe(options:progress:)``). Safe to re-run after an interruption.
    ///
    /// - Parameter progress: called (on a background thread) with the running counts
    ///   every ``WipeOptions/progressInterval`` entries.
    /// - Throws: ``GlusterFSError`` with the connection outcome's code, `timedOut`,
    ///   `cancelled`, `operationFailed` when the root cannot be read, or a worker failure.
    public func wipe(
        _ connection: GlusterConnection, options: WipeOptions = WipeOptions(), deadline: Duration = .seconds(600),
        progress: @escaping @Sendable (WipeCounts) -> Void = { _ in }
    ) async throws -> WipeReport {
        let run = try await self.run(
            WorkerRequest(connection: connection, operation: .wipe(options), deadlineSeconds: deadline.seconds), deadline: deadline
        ) { message in
            if message.event == "progress", let counts = message.wipe { progress(counts) }
        }
        guard run.result.outcome == .ok, let report = run.result.wipeReport else { throw run.error }
        return report
    }

    /// Creates `files` small files in `directories` leaf directories under `root` (test data).
    ///
    /// - Parameter progress: called (on a background thread) every 500 files.
    /// - Throws: ``GlusterFSError`` as ``wipe(_:options:deadline:progress:)`` does.
    public func fill(
        _ connection: GlusterConnection, files: Int, directories: Int, under root: String = "/gshare-fill", bytesPerFile: Int = 64,
        deadline: Duration = .seconds(600), progress: @escaping @Sendable (FillCounts) -> Void = { _ in }
    ) async throws -> FillCounts {
        let operation = WorkerOperation.fill(files: files, directories: directories, root: root, bytesPerFile: bytesPerFile)
        let run = try await self.run(WorkerRequest(connection: connection, operation: operation, deadlineSeconds: deadline.seconds), deadline: deadline) {
            message in
            if message.event == "progress", let counts = message.fill { progress(counts) }
        }
        guard run.result.outcome == .ok, let counts = run.result.fill else { throw run.error }
        return counts
    }

    /// The volume's capacity and usage (`glfs_statvfs`).
    /// - Throws: ``GlusterFSError`` as ``wipe(_:options:deadline:progress:)`` does.
    public func statvfs(_ connection: GlusterConnection, path: String = "/", deadline: Duration = .seconds(20)) async throws
        -> GlusterVolumeSpace
    {
        let run = try await self.run(WorkerRequest(connection: connection, operation: .statvfs(path: path), deadlineSeconds: deadline.seconds), deadline: deadline)
        guard run.result.outcome == .ok, let space = run.result.space else { throw run.error }
        return space
    }

    /// Lists the tree under `root`, depth first, at most `limit` entries.
    /// - Throws: ``GlusterFSError`` as ``wipe(_:options:deadline:progress:)`` does.
    public func walk(_ connection: GlusterConnection, from root: String = "/", limit: Int = 100_000, deadline: Duration = .seconds(60))
        async throws -> GlusterWalkListing
    {
        let entries = Mutex<[GlusterDirectoryEntry]>([])
        let run = try await self.run(
            WorkerRequest(connection: connection, operation: .walk(path: root, limit: limit), deadlineSeconds: deadline.seconds),
            deadline: deadline
        ) { message in
            if message.event == "entry", let entry = message.entry { entries.withLock { $0.append(entry) } }
        }
        guard run.result.outcome == .ok else { throw run.error }
        return GlusterWalkListing(entries: entries.withLock { $0 }, truncated: run.result.truncated ?? false)
    }

    // MARK: - Running the worker

    /// A finished worker run.
    package struct Run: Sendable {
        package let result: WorkerMessage
        package let elapsed: Duration

        /// The error for a result that is not ok.
        package var error: GlusterFSError {
            let outcome = result.outcome ?? .failed
            let code = result.code.flatMap(GlusterFSError.Code.init(rawValue:)) ?? GlusterFSError.Code(outcome: outcome)
            return GlusterFSError(
                code, errno: result.errno ?? 0, operation: result.operation ?? "worker", path: result.path,
                message: result.message ?? outcome.rawValue, logExcerpt: result.log ?? [])
        }
    }

    /// Runs one worker: sends `request`, passes every event but the result to `onEvent`
    /// (on a background thread), and returns the result. Past `deadline` (plus
    /// ``killGrace``) or on task cancellation the worker is killed and the result is
    /// synthesised (`timedOut` / `cancelled`).
    ///
    /// - Throws: ``GlusterFSError`` `workerUnavailable` when it cannot start, `workerFailed`
    ///   when it ends without a result.
    package func run(
        _ request: WorkerRequest, deadline: Duration, onEvent: @escaping @Sendable (WorkerMessage) -> Void = { _ in }
    ) async throws -> Run {
        let input = try JSONEncoder().encode(request)
        let worker = WorkerProcess(executable: workerPath, input: input + Data("\n".utf8), onEvent: onEvent)
        let clock = ContinuousClock()
        let started = clock.now
        try worker.start()
        let killer = DispatchWorkItem { worker.kill(.deadline) }
        DispatchQueue.global().asyncAfter(deadline: .now() + (deadline + killGrace).seconds, execute: killer)
        let ending = await withTaskCancellationHandler {
            await worker.ending()
        } onCancel: {
            worker.kill(.cancelled)
        }
        killer.cancel()
        let elapsed = clock.now - started
        if let result = ending.result {
            return Run(result: result, elapsed: elapsed)
        }
        switch ending.killed {
        case .deadline?:
            return Run(
                result: .failure(
                    .timedOut, code: .timedOut, errno: ETIMEDOUT, operation: request.operation.kind, path: nil,
                    message: "no answer within \(deadline) (the worker was killed): glusterd or a brick does not respond", log: []),
                elapsed: elapsed)
        case .cancelled?:
            return Run(
                result: .failure(
                    .cancelled, code: .cancelled, errno: ECANCELED, operation: request.operation.kind, path: nil,
                    message: "cancelled (the worker was killed)", log: []),
                elapsed: elapsed)
        case nil:
            let how = ending.signal.map { "was killed by signal \($0)" } ?? "exited with status \(ending.status)"
            throw GlusterFSError(
                .workerFailed, operation: request.operation.kind, path: workerPath,
                message: "the worker \(how) without a result\(ending.protocolError.map { " (\($0))" } ?? "")"
                    + (ending.stderr.isEmpty ? "" : "; it said: \(ending.stderr)"))
        }
    }
}

/// One running `gshare-gfapi-worker` and the threads that feed and drain it.
///
/// Sendable by construction: every mutable field is behind the `Mutex`.
final class WorkerProcess: Sendable {
    enum KillReason: Sendable { case deadline, cancelled }

    /// How the worker ended.
    struct Ending: Sendable {
        var result: WorkerMessage?
        var killed: KillReason?
        var status: Int32 = 0
        var signal: Int32?
        var stderr = ""
        var protocolError: String?
    }

    private struct State {
        var pid: pid_t = 0
        var exited = false
        var outputClosed = false
        var errorsClosed = false
        var ending = Ending()
        var waiter: CheckedContinuation<Ending, Never>?
        var isComplete: Bool { exited && outputClosed && errorsClosed }
    }

    private let executable: String
    private let input: Data
    private let onEvent: @Sendable (WorkerMessage) -> Void
    private let state = Mutex(State())
    private let process = Process()

    init(executable: String, input: Data, onEvent: @escaping @Sendable (WorkerMessage) -> Void) {
        self.executable = executable
        self.input = input
        self.onEvent = onEvent
    }

    func start() throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        process.terminationHandler = { [self] finished in
            let reason = finished.terminationReason
            let status = finished.terminationStatus
            complete { state in
                state.exited = true
                if reason == .uncaughtSignal { state.ending.signal = status } else { state.ending.status = status }
            }
        }
        do {
            try process.run()
        } catch {
            throw GlusterFSError(
                .workerUnavailable, errno: (error as NSError).code == 0 ? 0 : Int32(truncatingIfNeeded: (error as NSError).code),
                operation: "spawn", path: executable, message: "cannot start the worker: \(error)")
        }
        let pid = process.processIdentifier
        state.withLock { $0.pid = pid }
        let input = self.input
        let writer = stdin.fileHandleForWriting.fileDescriptor
        let reader = stdout.fileHandleForReading.fileDescriptor
        let errors = stderr.fileHandleForReading.fileDescriptor
        // Keep the handles (and so the descriptors) alive until the threads are done.
        let handles = (stdin, stdout, stderr)
        Thread.detachNewThread { [self] in
            withExtendedLifetime(handles) {
                Self.send(input, to: writer)
                stdin.fileHandleForWriting.closeFile()
                readEvents(from: reader)
            }
        }
        Thread.detachNewThread { [self] in
            withExtendedLifetime(handles) { readErrors(from: errors) }
        }
    }

    /// Waits until the worker exited and both its pipes are drained.
    func ending() async -> Ending {
        await withCheckedContinuation { continuation in
            let ready: Ending? = state.withLock { state in
                if state.isComplete { return state.ending }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// SIGKILL, by PID, unless it already ended or already reported its result.
    func kill(_ reason: KillReason) {
        state.withLock { state in
            // `exited` is set once Foundation reaped the child, so the PID cannot have been
            // reused while it is false (short of the instant between reaping and the handler).
            guard state.pid > 0, !state.exited, state.ending.result == nil, state.ending.killed == nil else { return }
            state.ending.killed = reason
            _ = Glibc.kill(state.pid, SIGKILL)
        }
    }

    private func complete(_ update: (inout State) -> Void) {
        let resume: (CheckedContinuation<Ending, Never>, Ending)? = state.withLock { state in
            update(&state)
            guard state.isComplete, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.ending)
        }
        if let (waiter, ending) = resume { waiter.resume(returning: ending) }
    }

    /// Writes the request with SIGPIPE blocked on this thread: a worker that died early
    /// gives EPIPE here instead of killing the parent (the pending thread-directed signal
    /// is dropped when this thread ends).
    private static func send(_ data: Data, to fd: Int32) {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
        var timeout = timespec(tv_sec: 0, tv_nsec: 0)
        _ = sigtimedwait(&blocked, nil, &timeout)  // consume a SIGPIPE, if any
    }

    private func readEvents(from fd: Int32) {
        let decoder = JSONDecoder()
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        func handle(_ line: ArraySlice<UInt8>) {
            guard !line.isEmpty else { return }
            guard let message = try? decoder.decode(WorkerMessage.self, from: Data(line)) else {
                let text = String(decoding: line.prefix(200), as: UTF8.self)
                state.withLock { $0.ending.protocolError = $0.ending.protocolError ?? "not a protocol line: \(text)" }
                return
            }
            if message.event == "result" {
                state.withLock { $0.ending.result = $0.ending.result ?? message }
            } else {
                onEvent(message)
            }
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending += chunk[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                handle(pending[..<newline])
                pending.removeSubrange(...newline)
            }
            if pending.count > 16 << 20 {
                state.withLock { $0.ending.protocolError = "a line longer than 16 MiB" }
                pending.removeAll()
            }
        }
        handle(pending[...])
        complete { $0.outputClosed = true }
    }

    private func readErrors(from fd: Int32) {
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            collected += chunk[0..<count]
            if collected.count > 64 << 10 { collected.removeFirst(collected.count - (64 << 10)) }
        }
        let text = String(decoding: collected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        complete { state in
            state.ending.stderr = text
            state.errorsClosed = true
        }
    }
}

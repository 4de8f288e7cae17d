//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

public import Foundation
internal import GShareProcess
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

    public init(
        connection: GlusterConnection, outcome: GlusterAccessOutcome, errno: Int32, operation: String?, message: String,
        logExcerpt: [String], bytesVerified: Int, connectTime: Duration?, elapsed: Duration
    ) {
        self.connection = connection
        self.outcome = outcome
        self.errno = errno
        self.operation = operation
        self.message = message
        self.logExcerpt = logExcerpt
        self.bytesVerified = bytesVerified
        self.connectTime = connectTime
        self.elapsed = elapsed
    }

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
/// kills it (`SIGKILL`, through its pidfd: GShareProcess) when the deadline passes or the
/// calling task is cancelled. The worker never runs `glfs_fini`: process exit reclaims everything, so no
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
        return try await accessResult(connection, operation: .probe(path: path), deadline: deadline)
    }

    /// Connects and reads the volume's capacity (`glfs_statvfs`), writing nothing: is this
    /// connection admitted at all? With ``GlusterTransportSecurity/plainText`` it tells
    /// whether the volume admits anyone (no certificate, no TLS).
    ///
    /// - Returns: the outcome as ``probe(_:path:deadline:)`` gives it (``AccessProbeResult/bytesVerified`` 0).
    /// - Throws: ``GlusterFSError`` only when the worker cannot run or the task is cancelled.
    public func connects(_ connection: GlusterConnection, deadline: Duration = .seconds(20)) async throws -> AccessProbeResult {
        try await accessResult(connection, operation: .statvfs(path: "/"), deadline: deadline)
    }

    private func accessResult(_ connection: GlusterConnection, operation: WorkerOperation, deadline: Duration) async throws
        -> AccessProbeResult
    {
        let run = try await self.run(WorkerRequest(connection: connection, operation: operation, deadlineSeconds: deadline.seconds), deadline: deadline)
        if run.result.outcome == .cancelled { throw run.error }
        return AccessProbeResult(
            connection: connection, outcome: run.result.outcome ?? .failed, errno: run.result.errno ?? 0,
            operation: run.result.outcome == .ok ? nil : run.result.operation,
            message: run.result.message ?? "", logExcerpt: run.result.log ?? [], bytesVerified: run.result.probeBytes ?? 0,
            connectTime: run.result.connectMilliseconds.map { .milliseconds($0) }, elapsed: run.elapsed)
    }

    /// Deletes everything in the volume but the folders `/.trashcan` and
    /// `/.trashcan/internal_op`, emptied last (see ``GlusterVolume/wipe(options:progress:)``).
    /// Safe to re-run after an interruption.
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

    /// Writes one file of up to `bytes` as fast as it can until the volume refuses (test
    /// data for quota enforcement; ``GlusterVolume/stream(to:upTo:chunkBytes:)``).
    /// - Throws: ``GlusterFSError`` as ``wipe(_:options:deadline:progress:)`` does.
    public func stream(_ connection: GlusterConnection, to path: String, bytes: Int64, chunkBytes: Int = 1 << 20, deadline: Duration = .seconds(600))
        async throws -> StreamReport
    {
        let request = WorkerRequest(connection: connection, operation: .stream(path: path, bytes: bytes, chunk: chunkBytes), deadlineSeconds: deadline.seconds)
        let run = try await self.run(request, deadline: deadline)
        guard run.result.outcome == .ok, let report = run.result.stream else { throw run.error }
        return report
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
    /// (on a task of the concurrency pool), and returns the result. Past `deadline` (plus
    /// ``killGrace``) or on task cancellation the worker is killed (GShareProcess: SIGKILL
    /// through its pidfd, from the watchdog thread) and the result is synthesised
    /// (`timedOut` / `cancelled`).
    ///
    /// - Throws: ``GlusterFSError`` `workerUnavailable` when it cannot start, `workerFailed`
    ///   when it ends without a result.
    package func run(
        _ request: WorkerRequest, deadline: Duration, onEvent: @escaping @Sendable (WorkerMessage) -> Void = { _ in }
    ) async throws -> Run {
        try await run(request, deadline: deadline, feed: nil, onEvent: onEvent)
    }

    /// ``run(_:deadline:onEvent:)`` with more stdin to come while the worker runs (`feed`).
    func run(
        _ request: WorkerRequest, deadline: Duration, feed: ChildInputFeed?, onEvent: @escaping @Sendable (WorkerMessage) -> Void
    ) async throws -> Run {
        let input = Array(try JSONEncoder().encode(request)) + [UInt8(ascii: "\n")]
        let lines = WorkerLines(onEvent: onEvent)
        let worker = ChildProcess(executable: workerPath)
        let ending: ChildProcessResult
        do {
            ending = try await worker.stream(
                input: input, feed: feed, deadline: deadline + killGrace, maxLineLength: WorkerLines.maxLineLength,
                standardErrorTail: WorkerLines.standardErrorTail
            ) { line in lines.handle(line) }
        } catch let error as ChildProcessError
            where [.executableNotFound, .spawnFailed, .invalidArgument, .inputFailed, .watchdogUnavailable].contains(error.code)
        {
            throw GlusterFSError(
                .workerUnavailable, errno: error.errno, operation: "spawn", path: workerPath,
                message: "cannot start the worker: \(error.message); \(error.fix)")
        } catch let error as ChildProcessError {
            throw GlusterFSError(
                .workerFailed, operation: request.operation.kind, path: workerPath,
                message: "the worker failed without a result (\(error.message))" + (error.standardError.isEmpty ? "" : "; it said: \(error.standardError)"))
        }
        let elapsed = ending.elapsed
        if let result = lines.result {
            return Run(result: result, elapsed: elapsed)
        }
        switch ending.termination {
        case .killedAtDeadline:
            return Run(
                result: .failure(
                    .timedOut, code: .timedOut, errno: ETIMEDOUT, operation: request.operation.kind, path: nil,
                    message: "no answer within \(deadline) (the worker was killed): glusterd or a brick does not respond", log: []),
                elapsed: elapsed)
        case .cancelled:
            return Run(
                result: .failure(
                    .cancelled, code: .cancelled, errno: ECANCELED, operation: request.operation.kind, path: nil,
                    message: "cancelled (the worker was killed)", log: []),
                elapsed: elapsed)
        case .exited, .signaled:
            let stderr = ending.standardErrorText
            throw GlusterFSError(
                .workerFailed, operation: request.operation.kind, path: workerPath,
                message: "the worker \(ending.termination) without a result\(lines.protocolError.map { " (\($0))" } ?? "")"
                    + (stderr.isEmpty ? "" : "; it said: \(stderr)"))
        }
    }
}

/// The worker's stdout, line by line: the first `result` is kept, other events go to the
/// caller, and the first line that is not the protocol is noted.
///
/// Sendable by construction: its mutable state is behind the `Mutex`.
final class WorkerLines: Sendable {
    /// The longest line the protocol allows (a walk's entries and a wipe report are far shorter).
    static let maxLineLength = 16 << 20
    /// How much of the worker's stderr is kept for messages.
    static let standardErrorTail = 64 << 10

    private struct State {
        var result: WorkerMessage?
        var protocolError: String?
    }

    private let onEvent: @Sendable (WorkerMessage) -> Void
    private let state = Mutex(State())

    init(onEvent: @escaping @Sendable (WorkerMessage) -> Void) {
        self.onEvent = onEvent
    }

    var result: WorkerMessage? { state.withLock { $0.result } }
    var protocolError: String? { state.withLock { $0.protocolError } }

    func handle(_ line: ArraySlice<UInt8>) {
        guard !line.isEmpty else { return }
        guard let message = try? JSONDecoder().decode(WorkerMessage.self, from: Data(line)) else {
            let text = String(decoding: line.prefix(200), as: UTF8.self)
            state.withLock { $0.protocolError = $0.protocolError ?? "not a protocol line: \(text)" }
            return
        }
        if message.event == "result" {
            state.withLock { $0.result = $0.result ?? message }
        } else {
            onEvent(message)
        }
    }
}

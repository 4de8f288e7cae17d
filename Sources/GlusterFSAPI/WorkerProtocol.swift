//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

// The protocol between IsolatedGlusterClient (parent) and gshare-gfapi-worker (child):
//
//   stdin   one JSON WorkerRequest, then EOF
//   stdout  JSON lines: zero or more events, then exactly one {"event":"result",…};
//           the worker exits right after the result (never calling glfs_fini)
//   stderr  free text (diagnostics only)

/// What the worker is asked to do once connected.
package enum WorkerOperation: Sendable, Hashable, Codable {
    /// Connect, write + read back + unlink a small file at `path`.
    case probe(path: String)
    /// Delete everything but the folders `/.trashcan` and `/.trashcan/internal_op` (emptied last).
    case wipe(WipeOptions)
    /// Create `files` files in `directories` leaf directories under `root`.
    case fill(files: Int, directories: Int, root: String, bytesPerFile: Int)
    /// Write one file at `path` of up to `bytes`, in `chunk`-byte writes, until refused.
    case stream(path: String, bytes: Int64, chunk: Int)
    /// statvfs of `path`.
    case statvfs(path: String)
    /// Walk from `path`, sending at most `limit` entries.
    case walk(path: String, limit: Int)
    /// Take exclusive POSIX locks on `<GlusterLockFiles.folder>/<key>.lock` for every key, in
    /// order, waiting up to `waitSeconds` in all; write `holder` into each file; send a
    /// `locked` event; then hold them until the worker is killed, its parent ends or its
    /// deadline passes. A wait that ends with a lock still taken is a `lock-busy` result
    /// naming the holder.
    case lock(keys: [String], holder: String, waitSeconds: Double)
    /// Connect, send an `armed` event, then wait for one more line on stdin (appended while
    /// the worker runs: ``ChildInputFeed``): a `lock` operation, which it then carries out as
    /// above. The connection is made before the keys are known, so a long-running caller
    /// (`gshare serve`) has the lock volume's connection ready when a change comes.
    case lockOnOrder

    private enum Keys: String, CodingKey {
        case kind, path, files, directories, root, bytesPerFile, limit, emptyTrashcan, progressInterval, batchSize, parallelism
        case keys, holder, waitSeconds, bytes, chunk
    }

    package var kind: String {
        switch self {
        case .probe: "probe"
        case .wipe: "wipe"
        case .fill: "fill"
        case .stream: "stream"
        case .statvfs: "statvfs"
        case .walk: "walk"
        case .lock: "lock"
        case .lockOnOrder: "lock-on-order"
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .probe(let path), .statvfs(let path):
            try container.encode(path, forKey: .path)
        case .wipe(let options):
            try container.encode(options.emptyTrashcan, forKey: .emptyTrashcan)
            try container.encode(options.progressInterval, forKey: .progressInterval)
            try container.encode(options.batchSize, forKey: .batchSize)
            try container.encode(options.parallelism, forKey: .parallelism)
        case .fill(let files, let directories, let root, let bytesPerFile):
            try container.encode(files, forKey: .files)
            try container.encode(directories, forKey: .directories)
            try container.encode(root, forKey: .root)
            try container.encode(bytesPerFile, forKey: .bytesPerFile)
        case .walk(let path, let limit):
            try container.encode(path, forKey: .path)
            try container.encode(limit, forKey: .limit)
        case .stream(let path, let bytes, let chunk):
            try container.encode(path, forKey: .path)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(chunk, forKey: .chunk)
        case .lock(let keys, let holder, let waitSeconds):
            try container.encode(keys, forKey: .keys)
            try container.encode(holder, forKey: .holder)
            try container.encode(waitSeconds, forKey: .waitSeconds)
        case .lockOnOrder:
            break
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "probe": self = .probe(path: try container.decode(String.self, forKey: .path))
        case "statvfs": self = .statvfs(path: try container.decodeIfPresent(String.self, forKey: .path) ?? "/")
        case "wipe":
            let defaults = WipeOptions()
            self = .wipe(
                WipeOptions(
                    emptyTrashcan: try container.decodeIfPresent(Bool.self, forKey: .emptyTrashcan) ?? defaults.emptyTrashcan,
                    progressInterval: try container.decodeIfPresent(Int.self, forKey: .progressInterval) ?? defaults.progressInterval,
                    batchSize: try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize,
                    parallelism: try container.decodeIfPresent(Int.self, forKey: .parallelism) ?? defaults.parallelism))
        case "fill":
            self = .fill(
                files: try container.decode(Int.self, forKey: .files),
                directories: try container.decodeIfPresent(Int.self, forKey: .directories) ?? 1,
                root: try container.decodeIfPresent(String.self, forKey: .root) ?? "/gshare-fill",
                bytesPerFile: try container.decodeIfPresent(Int.self, forKey: .bytesPerFile) ?? 64)
        case "walk":
            self = .walk(
                path: try container.decodeIfPresent(String.self, forKey: .path) ?? "/",
                limit: try container.decodeIfPresent(Int.self, forKey: .limit) ?? 100_000)
        case "stream":
            self = .stream(
                path: try container.decode(String.self, forKey: .path), bytes: try container.decode(Int64.self, forKey: .bytes),
                chunk: try container.decodeIfPresent(Int.self, forKey: .chunk) ?? (1 << 20))
        case "lock":
            let keys = try container.decode([String].self, forKey: .keys)
            guard !keys.isEmpty, keys.count <= 64, keys.allSatisfy(GlusterLockFiles.isValidKey) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .keys, in: container,
                    debugDescription: "lock keys must be 1 to 64 names of 1-200 letters, digits, '.', '_', '-' or '@' (not . or ..)")
            }
            let waitSeconds = try container.decode(Double.self, forKey: .waitSeconds)
            guard waitSeconds.isFinite, waitSeconds >= 0, waitSeconds <= WorkerRequest.longestRun else {
                throw DecodingError.dataCorruptedError(forKey: .waitSeconds, in: container, debugDescription: "waitSeconds \(waitSeconds) is not a wait")
            }
            self = .lock(keys: keys, holder: try container.decode(String.self, forKey: .holder), waitSeconds: waitSeconds)
        case "lock-on-order": self = .lockOnOrder
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "unknown operation \"\(kind)\" (probe, wipe, fill, stream, statvfs, walk, lock, lock-on-order)")
        }
    }
}

/// The one request a worker reads on stdin.
package struct WorkerRequest: Sendable, Hashable, Codable {
    /// 1 for this version.
    package var protocolVersion: Int
    package var connection: GlusterConnection
    package var operation: WorkerOperation
    /// The worker reports `timedOut` and exits this long after it started.
    package var deadlineSeconds: Double
    /// Keep the gfapi log in this file (appended to); nil = a private temporary file,
    /// deleted at once.
    package var logFile: String?

    /// A request; a deadline beyond ``longestRun`` (a year) is a year.
    package init(connection: GlusterConnection, operation: WorkerOperation, deadlineSeconds: Double, logFile: String? = nil) {
        self.protocolVersion = 1
        self.connection = connection
        self.operation = operation
        self.deadlineSeconds = min(max(deadlineSeconds, 0), Self.longestRun)
        self.logFile = logFile
    }

    /// The longest time the protocol gives a run, in seconds: a year. A longer deadline or
    /// elapsed time is no real one, and would not fit a ``Duration`` in milliseconds.
    package static let longestRun: Double = 366 * 24 * 3600

    /// ``deadlineSeconds`` as a duration (within 0…``longestRun``, which decoding enforces).
    package var deadline: Duration {
        let seconds = deadlineSeconds.isFinite ? min(max(deadlineSeconds, 0), Self.longestRun) : Self.longestRun
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private enum CodingKeys: String, CodingKey {
        case protocolVersion, connection, operation, deadlineSeconds, logFile
    }

    /// Decodes a request, refusing a deadline that is not 0…``longestRun`` seconds (JSON has
    /// no NaN, but `1e300` decodes, and a trap is no answer).
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try container.decode(Int.self, forKey: .protocolVersion)
        connection = try container.decode(GlusterConnection.self, forKey: .connection)
        operation = try container.decode(WorkerOperation.self, forKey: .operation)
        deadlineSeconds = try container.decode(Double.self, forKey: .deadlineSeconds)
        logFile = try container.decodeIfPresent(String.self, forKey: .logFile)
        guard deadlineSeconds >= 0, deadlineSeconds <= Self.longestRun else {
            throw DecodingError.dataCorruptedError(
                forKey: .deadlineSeconds, in: container,
                debugDescription: "deadlineSeconds \(deadlineSeconds) is not a deadline (0 to \(Int(Self.longestRun)) seconds)")
        }
    }
}

/// One line the worker writes on stdout.
package struct WorkerMessage: Sendable, Hashable, Codable {
    /// "connected", "progress", "entry" or "result".
    package var event: String

    // connected / result
    /// Milliseconds from the worker's start until glfs_init returned.
    package var connectMilliseconds: Int?

    // progress / result
    package var wipe: WipeCounts?
    package var fill: FillCounts?
    package var stream: StreamReport?

    // entry
    package var entry: GlusterDirectoryEntry?

    // result
    package var outcome: GlusterAccessOutcome?
    /// A ``GlusterFSError/Code`` raw value when the outcome is not ok.
    package var code: String?
    package var errno: Int32?
    package var operation: String?
    package var path: String?
    package var message: String?
    /// gfapi log lines (warnings and errors) that explain a failure.
    package var log: [String]?
    /// Milliseconds from the worker's start until the result.
    package var elapsedMilliseconds: Int?
    package var probeBytes: Int?
    package var wipeReport: WipeReport?
    package var space: GlusterVolumeSpace?
    /// For a walk: true when more entries exist than were sent.
    package var truncated: Bool?

    // locked
    /// Milliseconds spent waiting for locks other clients held.
    package var waitedMilliseconds: Int?

    package init(event: String) { self.event = event }

    package static func progress(_ counts: WipeCounts) -> WorkerMessage {
        var message = WorkerMessage(event: "progress")
        message.wipe = counts
        return message
    }

    package static func progress(_ counts: FillCounts) -> WorkerMessage {
        var message = WorkerMessage(event: "progress")
        message.fill = counts
        return message
    }

    /// A result for an outcome other than ok.
    package static func failure(
        _ outcome: GlusterAccessOutcome, code: GlusterFSError.Code, errno: Int32, operation: String, path: String?,
        message: String, log: [String]
    ) -> WorkerMessage {
        var result = WorkerMessage(event: "result")
        result.outcome = outcome
        result.code = code.rawValue
        result.errno = errno
        result.operation = operation
        result.path = path
        result.message = message
        result.log = log
        return result
    }
}

/// Where cluster-wide locks live in a lock volume, and which keys name them.
public enum GlusterLockFiles {
    /// The folder of the lock files, inside the lock volume.
    public static let folder = "/gshare/locks"

    /// A key is a file name: 1-200 of `A-Z a-z 0-9 . _ - @`, not `.` or `..`.
    public static func isValidKey(_ key: String) -> Bool {
        guard (1...200).contains(key.utf8.count), key != ".", key != ".." else { return false }
        return key.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "@": true
            default: false
            }
        }
    }

    /// The lock file of `key`.
    public static func path(of key: String) -> String { "\(folder)/\(key).lock" }
}

extension WipeReport {
    private enum Keys: String, CodingKey { case removed, preserved, failureSamples, elapsedSeconds }

    /// Decodes a report, refusing an elapsed time that is not 0…``WorkerRequest/longestRun``
    /// seconds (it would not fit a ``Duration`` in milliseconds: a protocol error, not a trap).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let seconds = try container.decode(Double.self, forKey: .elapsedSeconds)
        guard seconds >= 0, seconds <= WorkerRequest.longestRun else {
            throw DecodingError.dataCorruptedError(
                forKey: .elapsedSeconds, in: container, debugDescription: "elapsedSeconds \(seconds) is not the duration of a run")
        }
        self.init(
            removed: try container.decode(WipeCounts.self, forKey: .removed),
            preserved: try container.decode([String].self, forKey: .preserved),
            failureSamples: try container.decode([WipeFailure].self, forKey: .failureSamples),
            elapsed: .milliseconds(Int64((seconds * 1000).rounded())))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(removed, forKey: .removed)
        try container.encode(preserved, forKey: .preserved)
        try container.encode(failureSamples, forKey: .failureSamples)
        try container.encode(elapsed.seconds, forKey: .elapsedSeconds)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension GlusterFSError.Code {
    static let all: [GlusterFSError.Code] = [
        .refusedByAuthAllow, .tlsRejected, .glusterdUnreachable, .unknownVolume, .volumeStopped, .timedOut, .cancelled,
        .connectFailed, .operationFailed, .notConnected, .invalidArgument, .workerUnavailable, .workerFailed, .lockBusy,
    ]

    /// The code with this raw value, if this version knows it.
    package init?(rawValue: String) {
        guard let code = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = code
    }

    /// The code that stands for a connection outcome other than ok.
    package init(outcome: GlusterAccessOutcome) {
        self = GlusterFSError(outcome: outcome, errno: 0, message: "").code
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// What a walk does after visiting an entry.
public enum GlusterWalkDecision: Sendable {
    /// Go on (into the entry, when it is a directory).
    case proceed
    /// Go on, but not into this directory.
    case skipChildren
    /// End the walk.
    case stop
}

/// Options of ``GlusterVolume/wipe(options:progress:)``.
public struct WipeOptions: Hashable, Sendable, Codable {
    /// Also empty `/.trashcan` after everything else, and `/.trashcan/internal_op` after
    /// the rest of it. Default true: with `features.trash on` unlinked files are moved to
    /// `/.trashcan`, with `features.trash-internal-op on` GlusterFS itself copies files
    /// into `internal_op`, and in both folders a tenant may create files of its own (the
    /// trash translator protects only the two folders); a wipe that skipped them would hand
    /// the next tenant the previous tenant's data. The two folders themselves are always
    /// kept (the trash translator refuses to remove them while it is on).
    public var emptyTrashcan: Bool = true
    /// Report progress after every this many entries. Default 500.
    public var progressInterval: Int = 500
    /// Names read from a directory before removing them (then the directory is read
    /// again). Bounds memory per directory level. Default 1,000.
    public var batchSize: Int = 1000
    /// Removals in flight at once: whole subtrees or single unlinks, on a fixed set of this
    /// many threads (the caller's included), however deep the tree. 1 (the default)
    /// removes one entry after the other on the caller's thread. Values below 1 count as 1,
    /// above ``maximumParallelism`` as that.
    ///
    /// Ask for more (16 is a good value on a replicated volume) only when the volume's
    /// `features.trash` is off, which the caller reads from `gluster volume info` (a client
    /// cannot see it): GlusterFS 10.3's trash translator crashes the brick when several
    /// unlinks it moves to `/.trashcan` run at once (`trash_unlink_mkdir_cbk` and
    /// `posix_mkdir` call each other until the stack overflows: cores of `glusterfsd` in
    /// the lab, and GlusterFS issue #1832, closed unfixed). Probing for the translator from
    /// the client (an unlink watched in `/.trashcan`, or `rmdir /.trashcan`, which it refuses
    /// with `EPERM`) crashed the brick the same way even with one unlink at a time after it.
    public var parallelism: Int = 1

    /// The most threads a wipe uses, whatever ``parallelism`` asks for.
    public static let maximumParallelism = 256

    public init(emptyTrashcan: Bool = true, progressInterval: Int = 500, batchSize: Int = 1000, parallelism: Int = 1) {
        self.emptyTrashcan = emptyTrashcan
        self.progressInterval = progressInterval
        self.batchSize = batchSize
        self.parallelism = parallelism
    }

    /// ``parallelism`` within 1…``maximumParallelism``.
    var effectiveParallelism: Int { min(max(1, parallelism), Self.maximumParallelism) }
}

extension WipeOptions {
    private enum CodingKeys: String, CodingKey {
        case emptyTrashcan, progressInterval, batchSize, parallelism
    }

    /// Decodes options; a field that is missing (options written before it existed) keeps
    /// its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = WipeOptions()
        self.init(
            emptyTrashcan: try container.decodeIfPresent(Bool.self, forKey: .emptyTrashcan) ?? defaults.emptyTrashcan,
            progressInterval: try container.decodeIfPresent(Int.self, forKey: .progressInterval) ?? defaults.progressInterval,
            batchSize: try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize,
            parallelism: try container.decodeIfPresent(Int.self, forKey: .parallelism) ?? defaults.parallelism)
    }
}

/// An entry a wipe could not remove.
public struct WipeFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let errno: Int32
    public let message: String

    public init(operation: String, path: String, errno: Int32, message: String) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.message = message
    }

    public var description: String { "\(operation) \(path): \(message)" }
}

/// What a wipe did.
public struct WipeReport: Hashable, Sendable, Codable {
    /// What was removed (and what failed).
    public var removed: WipeCounts
    /// The entries deliberately kept (`/.trashcan`, `/.trashcan/internal_op`) that exist.
    public var preserved: [String]
    /// The first failures (at most 20); ``WipeCounts/failures`` counts them all.
    public var failureSamples: [WipeFailure]
    /// Wall time of the wipe itself (not counting the connection).
    public var elapsed: Duration

    public init(removed: WipeCounts, preserved: [String], failureSamples: [WipeFailure], elapsed: Duration) {
        self.removed = removed
        self.preserved = preserved
        self.failureSamples = failureSamples
        self.elapsed = elapsed
    }

    /// True when nothing failed: the volume holds only the preserved folders (empty,
    /// unless ``WipeOptions/emptyTrashcan`` was false).
    public var isComplete: Bool { removed.failures == 0 }
}

/// The names a wipe never removes (it empties them, last).
enum TrashcanNames {
    static let trashcan = ".trashcan"
    static let internalOperations = "internal_op"
}

extension GlusterVolume {
    // MARK: - Walk

    /// Visits every entry under `root`, depth first, parents before their children
    /// ("." and ".." excluded). One directory handle is open per level.
    ///
    /// A directory that disappears during the walk is skipped.
    /// - Throws: ``GlusterFSError`` from gfapi, or whatever `visit` throws.
    public func walk(from root: String = "/", _ visit: (GlusterDirectoryEntry) throws -> GlusterWalkDecision) throws {
        try checkUsable(root, "walk")
        _ = try walkDirectory(root, depth: 1, visit)
    }

    /// False when the walk must stop.
    private func walkDirectory(
        _ path: String, depth: Int, _ visit: (GlusterDirectoryEntry) throws -> GlusterWalkDecision
    ) throws -> Bool {
        let directory: GlusterDirectory
        do {
            directory = try openDirectory(path)
        } catch let error as GlusterFSError where error.errno == ENOENT && depth > 1 {
            return true
        }
        while let entry = try directory.next() {
            if entry.name == "." || entry.name == ".." { continue }
            let child = joinPath(path, entry.name)
            switch try visit(GlusterDirectoryEntry(path: child, kind: entry.kind, size: entry.size, depth: depth)) {
            case .stop: return false
            case .skipChildren: continue
            case .proceed:
                if entry.kind == .directory, try !walkDirectory(child, depth: depth + 1, visit) { return false }
            }
        }
        return true
    }

    // MARK: - Wipe

    /// Deletes everything in the volume but the two folders `/.trashcan` and
    /// `/.trashcan/internal_op`, which are emptied last (see ``WipeOptions/emptyTrashcan``):
    /// depth first, files unlinked, directories removed bottom-up.
    ///
    /// Up to ``WipeOptions/parallelism`` entries are removed at the same time (whole
    /// subtrees, or single unlinks), by a fixed set of threads that lives as long as this
    /// call: on a replicated volume every removal is a round trip to every replica, so one
    /// at a time leaves the bricks mostly waiting. A directory is removed only once every
    /// removal inside it has ended, and each batch of names is finished before the
    /// directory is read again.
    ///
    /// > Warning: only for a volume with `features.trash off` (see
    /// > ``WipeOptions/parallelism``).
    ///
    /// Safe to run again after an interruption: what is already gone (`ENOENT`) counts as
    /// ``WipeCounts/alreadyGone``. Memory stays bounded however many entries there are:
    /// each directory is read in batches of ``WipeOptions/batchSize`` names, removed, and
    /// read again until only what cannot go is left (at most ``WipeOptions/parallelism``
    /// directories are being read at a time). An entry that cannot be removed is counted in
    /// ``WipeCounts/failures`` (with a sample in the report) and the wipe goes on.
    ///
    /// - Parameter progress: called with the running counts every
    ///   ``WipeOptions/progressInterval`` entries, from whichever thread removed the entry
    ///   that completed the interval; never by two threads at once, and in order (each
    ///   call's counts include the previous call's).
    /// - Throws: ``GlusterFSError`` only when the volume's root cannot be read.
    public func wipe(options: WipeOptions = WipeOptions(), progress: @escaping @Sendable (WipeCounts) -> Void = { _ in }) throws -> WipeReport {
        try checkUsable("/", "wipe")
        let clock = ContinuousClock()
        let started = clock.now
        let threads = WipeThreads(count: options.effectiveParallelism - 1)
        let run = WipeRun(volume: ConnectedVolume(volume: self), options: options, threads: threads, progress: progress)
        defer { threads.close() }  // every job has ended by then: each batch waits for its own
        _ = try run.wipeContents(of: "/", depth: 0)
        let (counts, samples) = run.result
        var preserved: [String] = []
        for path in ["/\(TrashcanNames.trashcan)", "/\(TrashcanNames.trashcan)/\(TrashcanNames.internalOperations)"] {
            if (try? entry(at: path)) != nil { preserved.append(path) }
        }
        return WipeReport(removed: counts, preserved: preserved, failureSamples: samples, elapsed: clock.now - started)
    }

    // MARK: - Fill

    /// Creates `files` small files spread over `directories` leaf directories under `root`
    /// (`root/dNN/eNNNN/fNNNNNN`): test data for wipes. Existing files are overwritten, so
    /// it may be re-run.
    ///
    /// - Parameter progress: called with the running counts every `progressInterval` files.
    public func fill(
        files: Int, directories: Int, under root: String = "/gshare-fill", bytesPerFile: Int = 64,
        progressInterval: Int = 500, progress: (FillCounts) -> Void = { _ in }
    ) throws -> FillCounts {
        try checkUsable(root, "fill")
        guard files >= 0, directories >= 1, bytesPerFile >= 0 else {
            throw GlusterFSError(.invalidArgument, operation: "fill", path: root, message: "files and bytes must be ≥ 0, directories ≥ 1")
        }
        var counts = FillCounts()
        func makeDirectory(_ path: String) throws {
            do {
                try self.makeDirectory(path)
                counts.directories += 1
            } catch let error as GlusterFSError where error.errno == EEXIST {}
        }
        let top = max(1, Int(Double(directories).squareRoot()))
        try makeDirectory(root)
        for index in 0..<top { try makeDirectory("\(root)/d\(index)") }
        var leaves: [String] = []
        for index in 0..<directories {
            let leaf = "\(root)/d\(index % top)/e\(index)"
            try makeDirectory(leaf)
            leaves.append(leaf)
        }
        for index in 0..<files {
            var content = Array("gshare fill \(index)\n".utf8)
            content = Array(repeating: content, count: bytesPerFile / max(1, content.count) + 1).flatMap { $0 }
            content.removeSubrange(bytesPerFile...)
            try writeFile(at: "\(leaves[index % leaves.count])/f\(index)", contents: content)
            counts.files += 1
            counts.bytes = counts.bytes.addingSaturating(Int64(bytesPerFile))
            if counts.files % max(1, progressInterval) == 0 { progress(counts) }
        }
        return counts
    }

    // MARK: - Stream

    /// Writes one file of up to `limit` bytes at `path` as fast as it can, in `chunkBytes`
    /// writes, and stops at the first refusal (a quota's `EDQUOT`, a full brick's `ENOSPC`):
    /// test data for quota enforcement. A refusal at the close (write-behind flushing) counts
    /// the bytes of the last chunk as not accepted.
    /// - Throws: ``GlusterFSError`` when the file cannot be created.
    public func stream(to path: String, upTo limit: Int64, chunkBytes: Int = 1 << 20) throws -> StreamReport {
        try checkUsable(path, "stream")
        guard limit >= 0, (1...(64 << 20)).contains(chunkBytes) else {
            throw GlusterFSError(.invalidArgument, operation: "stream", path: path, message: "the limit must be ≥ 0 and a chunk 1 byte to 64 MiB")
        }
        let file = try createFile(at: path)
        let chunk = [UInt8](repeating: 0x5a, count: chunkBytes)
        var written: Int64 = 0
        while written < limit {
            let part = Int(min(Int64(chunkBytes), limit - written))
            do {
                try file.write(part == chunkBytes ? chunk : Array(chunk.prefix(part)))
            } catch let error as GlusterFSError {
                try? file.close()
                return StreamReport(bytesWritten: written, stoppedBy: error.errno)
            }
            written += Int64(part)
        }
        do {
            try file.close()
        } catch let error as GlusterFSError {
            return StreamReport(bytesWritten: max(0, written - Int64(chunkBytes)), stoppedBy: error.errno)
        }
        return StreamReport(bytesWritten: written, stoppedBy: nil)
    }

    // MARK: - Probe

    /// Writes a small file at `path`, reads it back, compares and unlinks it: proof that
    /// this identity may use the volume.
    /// - Returns: the number of bytes written and read back.
    /// - Throws: ``GlusterFSError`` `operationFailed` naming the step that failed.
    public func probeReadWrite(at path: String) throws -> Int {
        let content = Array("gshare access probe \(path) pid \(getpid())\n".utf8)
        try writeFile(at: path, contents: content)
        let back = try readFile(at: path, limit: 1 << 16)
        guard back == content else {
            try? unlink(path)
            throw GlusterFSError(
                .operationFailed, errno: EIO, operation: "glfs_read", path: path,
                message: "read back \(back.count) bytes that differ from the \(content.count) written")
        }
        try unlink(path)
        return content.count
    }
}

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

    public init(emptyTrashcan: Bool = true, progressInterval: Int = 500, batchSize: Int = 1000) {
        self.emptyTrashcan = emptyTrashcan
        self.progressInterval = progressInterval
        self.batchSize = batchSize
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
    /// Safe to run again after an interruption: what is already gone (`ENOENT`) counts as
    /// ``WipeCounts/alreadyGone``. Memory stays bounded however many entries there are:
    /// each directory is read in batches of ``WipeOptions/batchSize`` names, removed, and
    /// read again until only what cannot go is left. An entry that cannot be removed is
    /// counted in ``WipeCounts/failures`` (with a sample in the report) and the wipe goes on.
    ///
    /// - Parameter progress: called with the running counts every
    ///   ``WipeOptions/progressInterval`` entries.
    /// - Throws: ``GlusterFSError`` only when the volume's root cannot be read.
    public func wipe(options: WipeOptions = WipeOptions(), progress: (WipeCounts) -> Void = { _ in }) throws -> WipeReport {
        try checkUsable("/", "wipe")
        let clock = ContinuousClock()
        let started = clock.now
        let (counts, samples) = try withoutActuallyEscaping(progress) { progress in
            var state = WipeState(options: options, progress: progress)
            try wipeContents(of: "/", depth: 0, state: &state)
            return (state.counts, state.samples)  // the closure must not outlive this call
        }
        var preserved: [String] = []
        for path in ["/\(TrashcanNames.trashcan)", "/\(TrashcanNames.trashcan)/\(TrashcanNames.internalOperations)"] {
            if (try? entry(at: path)) != nil { preserved.append(path) }
        }
        return WipeReport(removed: counts, preserved: preserved, failureSamples: samples, elapsed: clock.now - started)
    }

    private struct WipeState {
        let options: WipeOptions
        let progress: (WipeCounts) -> Void
        var counts = WipeCounts()
        var samples: [WipeFailure] = []
        private var sinceReport = 0

        init(options: WipeOptions, progress: @escaping (WipeCounts) -> Void) {
            self.options = options
            self.progress = progress
        }

        mutating func handled() {
            sinceReport += 1
            if sinceReport >= max(1, options.progressInterval) {
                sinceReport = 0
                progress(counts)
            }
        }

        mutating func failed(_ error: GlusterFSError, path: String) {
            counts.countFailure()
            if samples.count < 20 {
                samples.append(WipeFailure(operation: error.operation, path: path, errno: error.errno, message: error.message))
            }
            handled()
        }
    }

    /// Names under `path` the wipe must not remove, and whether to empty them (last).
    private func isPreserved(_ name: String, in path: String, depth: Int, options: WipeOptions) -> (keep: Bool, descend: Bool) {
        if depth == 0 && name == TrashcanNames.trashcan { return (true, options.emptyTrashcan) }
        if depth == 1 && path == "/\(TrashcanNames.trashcan)" && name == TrashcanNames.internalOperations { return (true, true) }
        return (false, false)
    }

    /// Removes everything inside `path` (not `path` itself). `depth` 0 is the root.
    private func wipeContents(of path: String, depth: Int, state: inout WipeState) throws {
        var skipped: Set<String> = []
        // Preserved folders to empty LAST: with the trash translator on, every unlink above
        // moves a file into /.trashcan, so it is emptied only once nothing else is left; and
        // /.trashcan/internal_op after the rest of /.trashcan.
        var emptyLater: [String] = []
        while true {
            // Read one batch, then close the directory before changing it.
            var batch: [GlusterDirectory.Entry] = []
            do {
                let directory = try openDirectory(path)
                while batch.count < max(1, state.options.batchSize), let entry = try directory.next() {
                    if entry.name == "." || entry.name == ".." || skipped.contains(entry.name) { continue }
                    batch.append(entry)
                }
            } catch let error as GlusterFSError where depth > 0 && error.errno == ENOENT {
                return  // gone already
            } catch let error as GlusterFSError where depth > 0 {
                state.failed(error, path: path)
                return
            }
            if batch.isEmpty { break }
            for entry in batch {
                let child = joinPath(path, entry.name)
                let rule = isPreserved(entry.name, in: path, depth: depth, options: state.options)
                if rule.keep {
                    skipped.insert(entry.name)
                    if rule.descend { emptyLater.append(child) }
                    continue
                }
                if entry.kind == .directory {
                    var attempt = 0
                    while true {
                        attempt += 1
                        let failuresBefore = state.counts.failures
                        try wipeContents(of: child, depth: depth + 1, state: &state)
                        let cleanInside = state.counts.failures == failuresBefore
                        do {
                            try removeDirectory(child)
                            state.counts.countDirectory()
                        } catch let error as GlusterFSError where error.errno == ENOENT {
                            state.counts.countAlreadyGone()
                        } catch let error as GlusterFSError where error.errno == ENOTEMPTY && cleanInside && attempt < 3 {
                            // A first listing can come back short (a directory the trash
                            // translator created on the brick has no DHT layout until looked
                            // up), or something appeared meanwhile: list it again.
                            continue
                        } catch let error as GlusterFSError {
                            // Something inside could not go (already counted): report and leave it.
                            skipped.insert(entry.name)
                            state.failed(error, path: child)
                        }
                        break
                    }
                    if skipped.contains(entry.name) { continue }
                } else {
                    do {
                        try unlink(child)
                        if entry.kind == .regular {
                            state.counts.countFile(size: entry.size)
                        } else {
                            state.counts.countOther()
                        }
                    } catch let error as GlusterFSError where error.errno == ENOENT {
                        state.counts.countAlreadyGone()
                    } catch let error as GlusterFSError {
                        skipped.insert(entry.name)
                        state.failed(error, path: child)
                        continue
                    }
                }
                state.handled()
            }
        }
        for folder in emptyLater { try wipeContents(of: folder, depth: depth + 1, state: &state) }
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

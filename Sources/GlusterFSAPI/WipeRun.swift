//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// A connected volume, shared by the threads of one wipe.
///
/// `@unchecked`: ``GlusterVolume`` is not `Sendable` only because ``GlusterVolume/connect()``
/// must happen-before every other call, which it cannot enforce across threads. A wipe
/// hands the volume to its threads only after checking it is connected (and starting a
/// thread orders that check before everything the thread does); from then on nothing in
/// the object changes (`handle` is a `let`, `isConnected` stays true), and libgfapi's
/// `glfs_t` is safe for concurrent file operations.
struct ConnectedVolume: @unchecked Sendable {
    let volume: GlusterVolume
}

/// One run of ``GlusterVolume/wipe(options:progress:)``: the algorithm, the shared counts
/// and the progress reports.
///
/// Sendable by construction: its mutable state is the `Mutex`; the rest is immutable and
/// Sendable.
final class WipeRun: Sendable {
    private let connected: ConnectedVolume
    private let options: WipeOptions
    private let threads: WipeThreads
    private let progress: @Sendable (WipeCounts) -> Void
    /// Every count and failure sample, and the reports, under one lock: each report is
    /// made under it, so reports come one at a time and in order.
    private let tally = Mutex(Tally())

    private struct Tally {
        var counts = WipeCounts()
        var samples: [WipeFailure] = []
        var sinceReport = 0
    }

    /// At most this many failures are kept as samples.
    static let maximumSamples = 20

    init(volume: ConnectedVolume, options: WipeOptions, threads: WipeThreads, progress: @escaping @Sendable (WipeCounts) -> Void) {
        self.connected = volume
        self.options = options
        self.threads = threads
        self.progress = progress
    }

    private var volume: GlusterVolume { connected.volume }

    /// The counts and the failure samples so far.
    var result: (WipeCounts, [WipeFailure]) { tally.withLock { ($0.counts, $0.samples) } }

    // MARK: - Counting

    /// Counts one entry handled (`update`), keeping `failure` as a sample while there are
    /// fewer than ``maximumSamples``, and reports progress every
    /// ``WipeOptions/progressInterval`` entries.
    private func count(_ update: (inout WipeCounts) -> Void, sample failure: WipeFailure? = nil) {
        tally.withLock { tally in
            update(&tally.counts)
            if let failure, tally.samples.count < Self.maximumSamples { tally.samples.append(failure) }
            tally.sinceReport += 1
            if tally.sinceReport >= max(1, options.progressInterval) {
                tally.sinceReport = 0
                progress(tally.counts)
            }
        }
    }

    /// Counts a failure.
    private func failed(operation: String, path: String, errno: Int32, message: String) {
        count({ $0.countFailure() }, sample: WipeFailure(operation: operation, path: path, errno: errno, message: message))
    }

    private func failed(_ error: any Error, path: String) {
        if let error = error as? GlusterFSError {
            failed(operation: error.operation, path: path, errno: error.errno, message: error.message)
        } else {
            failed(operation: "wipe", path: path, errno: EIO, message: "\(error)")
        }
    }

    /// Names under `path` the wipe must not remove, and whether to empty them (last).
    private func isPreserved(_ name: String, in path: String, depth: Int) -> (keep: Bool, descend: Bool) {
        if depth == 0 && name == TrashcanNames.trashcan { return (true, options.emptyTrashcan) }
        if depth == 1 && path == "/\(TrashcanNames.trashcan)" && name == TrashcanNames.internalOperations { return (true, true) }
        return (false, false)
    }

    // MARK: - Removing

    /// Removes everything inside `path` (not `path` itself). `depth` 0 is the root.
    ///
    /// - Returns: the failures counted inside `path` (by this call and every job it started).
    /// - Throws: ``GlusterFSError`` only at depth 0, when the root cannot be read.
    func wipeContents(of path: String, depth: Int) throws -> Int {
        var failures = 0
        var skipped: Set<String> = []
        // Preserved folders to empty LAST: with the trash translator on, every unlink above
        // moves a file into /.trashcan, so it is emptied only once nothing else is left; and
        // /.trashcan/internal_op after the rest of /.trashcan.
        var emptyLater: [String] = []
        while true {
            // Read one batch, then close the directory before changing it.
            var batch: [GlusterDirectory.Entry] = []
            do {
                let directory = try volume.openDirectory(path)
                while batch.count < max(1, options.batchSize), let entry = try directory.next() {
                    if entry.name == "." || entry.name == ".." || skipped.contains(entry.name) { continue }
                    batch.append(entry)
                }
            } catch let error as GlusterFSError where depth > 0 && error.errno == ENOENT {
                return failures  // gone already
            } catch where depth > 0 {
                failed(error, path: path)
                return failures.addingSaturating(1)
            }
            if batch.isEmpty { break }
            // Every entry of the batch removed (or left) before the directory is read again:
            // a name still being removed would be listed a second time.
            let join = WipeJoin()
            for (index, entry) in batch.enumerated() {
                let child = joinPath(path, entry.name)
                let rule = isPreserved(entry.name, in: path, depth: depth)
                if rule.keep {
                    skipped.insert(entry.name)
                    if rule.descend { emptyLater.append(child) }
                    continue
                }
                join.start()
                let job: WipeThreads.Job = { [self] in
                    let (kept, inside) =
                        entry.kind == .directory
                        ? removeDirectory(child, depth: depth + 1)
                        : (removeFile(child, kind: entry.kind, size: entry.size), 0)
                    join.finish(keeping: kept ? entry.name : nil, failures: inside + (kept ? 1 : 0))
                }
                // The batch's last entry runs here rather than leaving this thread waiting.
                if index == batch.count - 1 || !threads.offer(job) { job() }
            }
            let outcome = join.wait()
            skipped.formUnion(outcome.kept)
            failures = failures.addingSaturating(outcome.failures)
        }
        for folder in emptyLater { failures = failures.addingSaturating(try wipeContents(of: folder, depth: depth + 1)) }
        return failures
    }

    /// Empties the directory `path` (at `depth`) and removes it.
    /// - Returns: whether it is still there (the failure is counted), and the failures
    ///   inside it.
    private func removeDirectory(_ path: String, depth: Int) -> (kept: Bool, inside: Int) {
        var attempt = 0
        var inside = 0
        while true {
            attempt += 1
            let found: Int
            do {
                found = try wipeContents(of: path, depth: depth)
            } catch {
                // Not thrown below the root; counted all the same should it ever be.
                failed(error, path: path)
                found = 1
            }
            inside = inside.addingSaturating(found)
            do {
                try volume.removeDirectory(path)
                count { $0.countDirectory() }
            } catch let error as GlusterFSError where error.errno == ENOENT {
                count { $0.countAlreadyGone() }
            } catch let error as GlusterFSError where error.errno == ENOTEMPTY && found == 0 && attempt < 3 {
                // A first listing can come back short (a directory the trash translator
                // created on the brick has no DHT layout until looked up), or something
                // appeared meanwhile: list it again.
                continue
            } catch {
                // Something inside could not go (already counted): report and leave it.
                failed(error, path: path)
                return (true, inside)
            }
            return (false, inside)
        }
    }

    /// Unlinks the file (or link, or other non-directory) `path`.
    /// - Returns: whether it is still there (the failure is counted).
    private func removeFile(_ path: String, kind: GlusterFileKind, size: Int64) -> Bool {
        do {
            try volume.unlink(path)
            if kind == .regular {
                count { $0.countFile(size: size) }
            } else {
                count { $0.countOther() }
            }
        } catch let error as GlusterFSError where error.errno == ENOENT {
            count { $0.countAlreadyGone() }
        } catch {
            failed(error, path: path)
            return true
        }
        return false
    }
}

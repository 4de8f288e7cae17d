//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Synchronization
import Testing

/// Fill, walk, statvfs and wipe on the lab's wipe volume.
@Suite("Wiping a volume in the GlusterFS lab", .serialized)
struct WipeTests {
    static let files = 2000
    static let directories = 40

    /// Everything but the trash can, by walking the volume as the manager.
    static func leftovers(_ lab: Lab, client: IsolatedGlusterClient) async throws -> [GlusterDirectoryEntry] {
        let listing = try await client.walk(try lab.connection("wipe", as: "gshare-manager"), limit: 1_000_000)
        return listing.entries.filter { $0.path != "/.trashcan" && !$0.path.hasPrefix("/.trashcan/") }
    }

    @Test(.timeLimit(.minutes(2)))
    func aWipeLeavesOnlyTheTrashcan() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let clock = ContinuousClock()
        let fillStarted = clock.now
        let filled = try await client.fill(
            try lab.connection("wipe", as: "tenant-a"), files: Self.files, directories: Self.directories, under: "/tenant-data")
        print("fill of \(filled.files) files / \(filled.directories) directories as tenant-a: \(clock.now - fillStarted)")
        #expect(filled.files == Self.files)
        #expect(try await Self.leftovers(lab, client: client).count >= Self.files + Self.directories)

        let hadTrashcan = try await client.walk(try lab.connection("wipe", as: "gshare-manager"), limit: 1_000_000).entries
            .contains { $0.path == "/.trashcan" }

        let progress = Mutex<[WipeCounts]>([])
        let wipeStarted = clock.now
        let report = try await client.wipe(try lab.connection("wipe", as: "gshare-manager")) { counts in
            progress.withLock { $0.append(counts) }
        }
        let wall = clock.now - wipeStarted
        print("wipe as gshare-manager: \(report.removed) in \(report.elapsed) (wall \(wall)), preserved \(report.preserved)")
        #expect(report.isComplete, "\(report.failureSamples)")
        #expect(report.removed.files >= Self.files)
        #expect(report.removed.directories >= Self.directories)
        #expect(report.removed.bytes >= Int64(Self.files * 64))
        #expect(report.preserved.contains("/.trashcan") == hadTrashcan)
        let reports = progress.withLock { $0 }
        #expect(reports.count >= (Self.files + Self.directories) / 500)
        #expect(reports.map(\.handled) == reports.map(\.handled).sorted())

        #expect(try await Self.leftovers(lab, client: client) == [])
    }

    /// The trash translator protects only the folders `/.trashcan` and
    /// `/.trashcan/internal_op`, not what is inside: a tenant can put files there.
    @Test(.timeLimit(.minutes(2)))
    func aWipeEmptiesTheInternalOpFolderATenantFilledAndKeepsOnlyTheTwoFolders() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let manager = try lab.connection("wipe", as: "gshare-manager")
        let tenant = try lab.connection("wipe", as: "tenant-a")
        _ = try await client.fill(tenant, files: 0, directories: 1, under: "/.trashcan")  // mkdir when missing
        _ = try await client.fill(tenant, files: 25, directories: 3, under: "/.trashcan/internal_op")
        _ = try await client.fill(tenant, files: 10, directories: 2, under: "/tenant-data")
        let planted = try await client.walk(manager, limit: 1_000_000).entries
        #expect(planted.filter { $0.path.hasPrefix("/.trashcan/internal_op/") && $0.kind == .regular }.count == 25)

        let report = try await client.wipe(manager)
        #expect(report.isComplete, "\(report.failureSamples)")
        #expect(report.removed.files == 35)
        #expect(report.preserved == ["/.trashcan", "/.trashcan/internal_op"])
        let remaining = try await client.walk(manager, limit: 1_000_000).entries.map(\.path)
        #expect(remaining == ["/.trashcan", "/.trashcan/internal_op"], "\(remaining)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aWipeWorksThroughTenThousandEntriesInOneDirectoryInBatches() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let clock = ContinuousClock()
        let started = clock.now
        let filled = try await client.fill(try lab.connection("wipe", as: "tenant-a"), files: 10_000, directories: 1, under: "/flat")
        print("fill of 10,000 files in one directory: \(clock.now - started)")
        #expect(filled.files == 10_000)
        // Batches of 1,000 names: the directory is read ten times, never held whole.
        let report = try await client.wipe(try lab.connection("wipe", as: "gshare-manager"), options: WipeOptions(batchSize: 1000, parallelism: 16))
        print("wipe of 10,000 files: \(report.removed) in \(report.elapsed)")
        #expect(report.isComplete)
        #expect(report.removed.files == 10_000)
        #expect(report.removed.directories == 3)  // /flat, /flat/d0, /flat/d0/e0
        #expect(try await Self.leftovers(lab, client: client) == [])
    }

    @Test(.timeLimit(.minutes(2)))
    func anInterruptedWipeCompletesWhenRunAgain() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let filled = try await client.fill(
            try lab.connection("wipe", as: "tenant-a"), files: Self.files, directories: Self.directories, under: "/tenant-data")
        let total = filled.files + filled.directories + 1  // + /tenant-data

        // Kill the first wipe at its first progress report.
        let firstReport = Mutex<WipeCounts?>(nil)
        let interrupted = Task {
            try await client.wipe(try lab.connection("wipe", as: "gshare-manager"), options: WipeOptions(progressInterval: 200, parallelism: 16)) { counts in
                firstReport.withLock { $0 = $0 ?? counts }
            }
        }
        _ = await eventually(timeout: .seconds(60), every: .milliseconds(5)) { firstReport.withLock { $0 != nil } }
        interrupted.cancel()  // the client kills the worker (SIGKILL through its pidfd)
        await #expect(throws: GlusterFSError(.cancelled, operation: "wipe")) { try await interrupted.value }
        let atInterruption = try #require(firstReport.withLock { $0 })
        let halfway = try await Self.leftovers(lab, client: client)
        print("interrupted after \(atInterruption.handled) entries; \(halfway.count) left")
        #expect(halfway.count < total, "the first wipe removed something")
        #expect(!halfway.isEmpty, "the first wipe was interrupted before the end")

        let second = try await client.wipe(try lab.connection("wipe", as: "gshare-manager"), options: WipeOptions(parallelism: 16))
        print("second wipe: \(second.removed)")
        #expect(second.isComplete, "\(second.failureSamples)")
        #expect(try await Self.leftovers(lab, client: client) == [])
        // What the second run removed is what the first left, give or take entries the first
        // removed after its last report.
        let secondRemoved = second.removed.files + second.removed.directories + second.removed.others
        #expect(secondRemoved == halfway.count)
        #expect(atInterruption.handled + secondRemoved <= total)
        #expect(secondRemoved < total)
    }

    @Test(.timeLimit(.minutes(2)))
    func withTheTrashTranslatorOnTheTrashcanIsKeptAndCanBeEmptied() async throws {
        let lab = try Lab.load()
        let volume = try lab.volume("wipe")
        let client = try makeClient()
        let manager = try lab.connection("wipe", as: "gshare-manager")
        try await GlusterCLI.set(volume, "features.trash", "on")
        defer {
            // GlusterFS 10.3 cannot switch the trash translator off live: the running brick
            // goes on moving unlinked files to /.trashcan until it restarts (~1 s).
            _ = try? GlusterCLI.runBlocking(["volume", "reset", volume, "features.trash"])
            _ = try? GlusterCLI.runBlocking(["volume", "stop", volume])
            _ = try? GlusterCLI.runBlocking(["volume", "start", volume])
        }
        let trashcan = try #require(await eventually {
            try await client.walk(manager).entries.contains { $0.path == "/.trashcan" }
        }, "features.trash on creates /.trashcan")
        _ = trashcan
        _ = try await client.wipe(manager, options: WipeOptions(emptyTrashcan: true))

        _ = try await client.fill(try lab.connection("wipe", as: "tenant-a"), files: 100, directories: 5, under: "/tenant-data")
        let kept = try await client.wipe(manager, options: WipeOptions(emptyTrashcan: false))
        #expect(kept.isComplete, "\(kept.failureSamples)")
        #expect(kept.removed.files == 100)
        #expect(kept.preserved.contains("/.trashcan"))
        #expect(try await Self.leftovers(lab, client: client) == [])
        // Told to leave the trash can alone, the wipe leaves there what features.trash moved
        // there: the "deleted" files.
        let inTrash = try #require(await eventually {
            try await client.walk(manager, from: "/.trashcan").entries.filter { $0.kind == .regular }.count == 100
        }, "the 100 unlinked files are in /.trashcan")
        _ = inTrash

        // By default the wipe empties the trash can too (last, after everything else).
        let emptied = try await client.wipe(manager)
        #expect(emptied.isComplete, "\(emptied.failureSamples)")
        #expect(emptied.removed.files == 100)
        let remaining = try await client.walk(manager).entries.map(\.path)
        #expect(remaining.allSatisfy { $0 == "/.trashcan" || $0 == "/.trashcan/internal_op" }, "\(remaining)")

        // One default wipe of fresh tenant data leaves nothing of it, not even in the trash
        // (which is emptied after the unlinks that fill it), nor in the trash's internal_op
        // folder, where the translator lets a tenant write.
        _ = try await client.fill(try lab.connection("wipe", as: "tenant-a"), files: 50, directories: 3, under: "/second-tenant")
        _ = try await client.fill(try lab.connection("wipe", as: "tenant-a"), files: 20, directories: 2, under: "/.trashcan/internal_op")
        let once = try await client.wipe(manager)
        #expect(once.isComplete, "\(once.failureSamples)")
        #expect(once.removed.files == 50 + 50 + 20, "the 50 files, their 50 copies in /.trashcan and the 20 in internal_op")
        let afterOnce = try #require(await eventually {
            try await client.walk(manager).entries.allSatisfy { $0.path == "/.trashcan" || $0.path == "/.trashcan/internal_op" }
        }, "nothing but the trash folders after one default wipe")
        _ = afterOnce
    }

    /// Several directories and unlinks in flight at once, in batches smaller than a
    /// directory, over nested directories and both trash folders: everything but the two
    /// folders goes, every entry is counted exactly once, and the progress reports (from
    /// several threads) come one at a time and in order.
    @Test(.timeLimit(.minutes(2)))
    func aParallelWipeOfNestedDirectoriesAndTheTrashFoldersRemovesAllButTheTwoFoldersAndCountsEachEntryOnce() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let manager = try lab.connection("wipe", as: "gshare-manager")
        let tenant = try lab.connection("wipe", as: "tenant-a")
        _ = try await client.wipe(manager)
        _ = try await client.fill(tenant, files: 0, directories: 1, under: "/.trashcan")  // mkdir when missing
        _ = try await client.fill(tenant, files: 40, directories: 4, under: "/.trashcan/internal_op")
        _ = try await client.fill(tenant, files: 30, directories: 3, under: "/.trashcan/moved")
        _ = try await client.fill(tenant, files: 400, directories: 25, under: "/tenant-data")
        // Deeper: trees inside the leaves of the first one (/tenant-data/dN/eN/nested/dN/eN/fN).
        for leaf in 0..<3 {
            _ = try await client.fill(tenant, files: 20 + leaf, directories: 4, under: "/tenant-data/d\(leaf)/e\(leaf)/nested")
        }
        _ = try await client.fill(tenant, files: 7, directories: 1, under: "/flat")
        let before = try await client.walk(manager, limit: 1_000_000).entries
            .filter { $0.path != "/.trashcan" && $0.path != "/.trashcan/internal_op" }
        let files = before.filter { $0.kind == .regular }.count
        let directories = before.filter { $0.kind == .directory }.count
        #expect(files == 40 + 30 + 400 + 20 + 21 + 22 + 7)
        #expect(before.count == files + directories)

        let progress = Mutex<[WipeCounts]>([])
        let report = try await client.wipe(manager, options: WipeOptions(progressInterval: 10, batchSize: 7, parallelism: 8)) { counts in
            progress.withLock { $0.append(counts) }
        }
        print("parallel wipe (8 in flight, batches of 7): \(report.removed) in \(report.elapsed)")
        #expect(report.isComplete, "\(report.failureSamples)")
        #expect(report.removed.files == files)
        #expect(report.removed.directories == directories)
        #expect(report.removed.others == 0)
        #expect(report.removed.alreadyGone == 0, "no entry was removed twice")
        #expect(report.removed.bytes == Int64(files * 64))
        #expect(report.preserved == ["/.trashcan", "/.trashcan/internal_op"])
        let remaining = try await client.walk(manager, limit: 1_000_000).entries.map(\.path)
        #expect(remaining == ["/.trashcan", "/.trashcan/internal_op"], "\(remaining)")

        // One report every 10 entries, each counting exactly 10 more than the one before.
        let reports = progress.withLock { $0 }
        #expect(reports.map(\.handled) == Array(stride(from: 10, through: files + directories, by: 10)))
        #expect(reports.allSatisfy { $0.failures == 0 && $0.alreadyGone == 0 })
    }

    /// Parallelism 1 is the sequential wipe; a parallelism beyond any reason is bounded,
    /// not a thread per request.
    @Test(.timeLimit(.minutes(2)))
    func aSequentialWipeAndAnAbsurdParallelismBothEmptyTheVolume() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let manager = try lab.connection("wipe", as: "gshare-manager")
        let tenant = try lab.connection("wipe", as: "tenant-a")
        for parallelism in [1, 1_000_000_000, -5] {
            let filled = try await client.fill(tenant, files: 60, directories: 6, under: "/tenant-data")
            let report = try await client.wipe(manager, options: WipeOptions(parallelism: parallelism))
            #expect(report.isComplete, "\(report.failureSamples)")
            #expect(report.removed.files == filled.files)
            #expect(report.removed.directories == filled.directories)
            #expect(try await Self.leftovers(lab, client: client) == [])
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func walkAndStatvfsDescribeTheVolume() async throws {
        let lab = try Lab.load()
        let client = try makeClient()
        let connection = try lab.connection("wipe", as: "gshare-manager")
        _ = try await client.wipe(connection)
        let filled = try await client.fill(connection, files: 30, directories: 4, under: "/walk", bytesPerFile: 100)
        #expect(filled.files == 30)

        let listing = try await client.walk(connection, from: "/walk")
        #expect(!listing.truncated)
        let files = listing.entries.filter { $0.kind == .regular }
        let directories = listing.entries.filter { $0.kind == .directory }
        #expect(files.count == 30)
        #expect(files.allSatisfy { $0.size == 100 && $0.path.hasPrefix("/walk/d") })
        #expect(directories.count == 2 + 4)  // d0, d1 and four leaves
        #expect(files.allSatisfy { $0.depth == 3 })
        // Parents come before their children.
        for file in files {
            let parent = String(file.path[..<file.path.lastIndex(of: "/")!])
            let parentIndex = try #require(listing.entries.firstIndex { $0.path == parent })
            #expect(parentIndex < listing.entries.firstIndex(of: file)!)
        }
        let limited = try await client.walk(connection, from: "/walk", limit: 5)
        #expect(limited.entries.count == 5)
        #expect(limited.truncated)

        let space = try await client.statvfs(connection)
        print("statvfs: \(space.totalBytes) bytes total, \(space.availableBytes) available, \(space.totalFiles) inodes")
        #expect(space.totalBytes > 0)
        #expect(space.availableBytes <= space.freeBytes)
        #expect(space.freeBytes <= space.totalBytes)
        #expect(space.freeFiles <= space.totalFiles)
        #expect(space.maximumNameLength >= 255)

        _ = try await client.wipe(connection)
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import GlusterDriver

/// ``VolumeLock``: flock(2) locks are per open file description, so two locks taken in one
/// process conflict exactly as two processes would.
@Suite("VolumeLock: one writer per volume on this host")
struct VolumeLockTests {
    static let id1 = "0675163c-1cb4-4cc9-a7f1-b8b7edaa327e"
    static let id2 = "3a0e1f43-6c1e-4e3f-9f57-2f3c1f0f2b11"

    private func withStateDirectory(_ body: (String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("state").path)
    }

    private func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("a second lock on the same volume is refused while the first is held, and granted once it is released")
    func secondLockWaitsForTheFirst() throws {
        try withStateDirectory { state in
            var first: VolumeLock? = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G")
            #expect(first != nil)
            #expect(try VolumeLock.attempt(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G") == nil)
            first = nil
            let second = try VolumeLock.attempt(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G")
            #expect(second != nil)
            #expect(second?.path.hasSuffix("/locks/volume-\(Self.id1).lock") == true)
        }
    }

    @Test("locks on other volumes, even of the same name (another ID), do not conflict")
    func differentVolumesDoNotConflict() throws {
        try withStateDirectory { state in
            let held = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G")
            let otherVolume = try VolumeLock.attempt(stateDirectory: state, volumeID: Self.id2, volume: "gshare-pool-02-1G")
            // a volume deleted and made again under the same name has another ID: another lock
            let sameNameOtherID = try VolumeLock.attempt(stateDirectory: state, volumeID: "9e9e9e9e-0000-4000-8000-000000000001", volume: "gshare-pool-01-1G")
            #expect(otherVolume != nil && sameNameOtherID != nil)
            withExtendedLifetime(held) {}
        }
    }

    @Test("one volume is one lock however it is reached: the key is its ID, not how the host is spelt")
    func oneVolumeIsOneLockWhateverTheSpelling() throws {
        try withStateDirectory { state in
            let held = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "h:/gshare-pool-01-1G")
            for spelling in ["127.0.0.1:/gshare-pool-01-1G", "localhost:/gshare-pool-01-1G", "gshare-pool-01-1G"] {
                #expect(try VolumeLock.attempt(stateDirectory: state, volumeID: Self.id1, volume: spelling) == nil, "\(spelling)")
            }
            withExtendedLifetime(held) {}
        }
    }

    @Test("waiting past the timeout throws lock-timeout, promptly")
    func timeoutThrowsLockTimeout() throws {
        try withStateDirectory { state in
            let held = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G")
            let start = ContinuousClock.now
            #expect {
                _ = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G", timeout: .milliseconds(100))
            } throws: { error in
                guard let error = error as? ShareDriverError else { return false }
                return error.code == .lockTimeout && error.volume == "gshare-pool-01-1G" && error.hint?.contains(held.path) == true
            }
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(100) && waited < .seconds(3))
            withExtendedLifetime(held) {}
        }
    }

    @Test("the lock folder is 0700 and lock files are 0600")
    func lockFilesArePrivate() throws {
        try withStateDirectory { state in
            let lock = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G")
            #expect(try permissions(state + "/locks") == 0o700)
            #expect(try permissions(lock.path) == 0o600)
        }
    }

    @Test(
        "hostile volume ID and name text gives a lock file directly inside the locks folder",
        arguments: [
            ("../../etc", "../passwd"), ("root@[fe80::1]:2222", "a/b/c"), ("..", ".."), ("/", "/"), ("a\0b", "x\ny"), ("é", "名前"),
            ("$(reboot)", "`id`;rm -rf ~"),
        ])
    func hostileNamesStayInsideTheLocksFolder(id: String, volume: String) throws {
        try withStateDirectory { state in
            let locks = state + "/locks"
            let lock = try VolumeLock(stateDirectory: state, volumeID: id, volume: volume)
            let name = (lock.path as NSString).lastPathComponent
            #expect((lock.path as NSString).deletingLastPathComponent == locks)
            #expect(!name.contains("/") && name != "." && name != ".." && name.hasSuffix(".lock"))
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 })
            #expect(try FileManager.default.contentsOfDirectory(atPath: locks) == [name])
            let parent = (state as NSString).deletingLastPathComponent
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["state"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: state) == ["locks"])
        }
    }

    @Test("a symbolic link planted where the lock file goes is not followed")
    func plantedSymlinkIsNotFollowed() throws {
        try withStateDirectory { state in
            let locks = state + "/locks"
            try FileManager.default.createDirectory(atPath: locks, withIntermediateDirectories: true)
            let victim = (state as NSString).deletingLastPathComponent + "/victim"
            try FileManager.default.createSymbolicLink(atPath: locks + "/volume-\(Self.id1).lock", withDestinationPath: victim)
            #expect {
                _ = try VolumeLock(stateDirectory: state, volumeID: Self.id1, volume: "gshare-pool-01-1G", timeout: .zero)
            } throws: { ($0 as? ShareDriverError)?.code == .lockFailed }
            #expect(!FileManager.default.fileExists(atPath: victim))
        }
    }

    /// A refused lock must close its own descriptor once, and only its own: closing it a
    /// second time (after a throw) would close, and unlock, whatever lock another task opened
    /// meanwhile under the same descriptor number.
    @Test("refused attempts never release a lock another task holds in the same process")
    func refusedAttemptsLeaveOtherLocksAlone() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.path
        let blocker = try VolumeLock(stateDirectory: state, volumeID: "contended", volume: "contended")
        let lost = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var lost = 0
                    for _ in 0..<300 {
                        let mine = try VolumeLock(stateDirectory: state, volumeID: "worker-\(worker)", volume: "worker-\(worker)", timeout: .seconds(10))
                        if try VolumeLock.attempt(stateDirectory: state, volumeID: "contended", volume: "contended") != nil { lost += 1 }
                        if try VolumeLock.attempt(stateDirectory: state, volumeID: "worker-\(worker)", volume: "worker-\(worker)") != nil { lost += 1 }
                        withExtendedLifetime(mine) {}
                    }
                    return lost
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(lost == 0)
        withExtendedLifetime(blocker) {}
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on one volume, across every gshare process on this host: a
/// `flock(2)` on `<state_dir>/locks/volume-<volume ID>.lock`. Read-modify-write of a volume's
/// options happens only while holding it. The kernel drops the lock when the process ends,
/// so a crash never leaves a stale lock behind. The key is the volume's identity (the ID
/// glusterd gave it), not how its host is spelt: `h:/v`, `127.0.0.1:/v` and `localhost:/v`
/// (or another node of the same trusted pool) all take the same lock.
public final class VolumeLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Waits (up to `timeout`) for the lock.
    ///
    /// - Throws: ``ShareDriverError`` `lock-failed` when the state folder cannot be created or
    ///   the lock file opened, `lock-timeout` when another process holds the lock too long.
    /// - Parameter logger: a wait is logged (debug, info past a second) with how long it took.
    /// - Parameters:
    ///   - volumeID: the volume's ID (`gluster volume info`'s `<id>`): the key.
    ///   - volume: its name, for messages and logs.
    public convenience init(stateDirectory: String, volumeID: String, volume: String, timeout: Duration = .seconds(60), logger: Logger? = nil) throws {
        try self.init(stateDirectory: stateDirectory, key: Self.key(volumeID: volumeID, volume: volume), volume: volume, timeout: timeout, logger: logger)
    }

    /// The lock key of a volume: `volume-<ID>`; a volume without an ID (never seen from
    /// glusterd) falls back to its name.
    public static func key(volumeID: String, volume: String) -> String {
        volumeID.isEmpty ? "name-\(fileName(volume))" : "volume-\(fileName(volumeID))"
    }

    /// Waits (up to `timeout`) for the lock named `key` (a file name: see ``fileName(_:)``).
    /// - Parameter volume: what the lock protects, for messages and logs.
    public init(stateDirectory: String, key: String, volume: String, timeout: Duration = .seconds(60), logger: Logger? = nil) throws {
        let volumeID = key
        let folder = (stateDirectory as NSString).appendingPathComponent("locks")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShareDriverError(
                .lockFailed, volume: volume, message: "cannot create the lock folder \(folder): \(error.localizedDescription)",
                hint: "set state_dir in gshare.toml to a folder this user can write")
        }
        path = (folder as NSString).appendingPathComponent("\(key).lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ShareDriverError(
                .lockFailed, volume: volume, message: "cannot open the lock file \(path): \(reason)",
                hint: "check the permissions of \(folder) (state_dir in gshare.toml)")
        }
        // `descriptor` is set only once the lock is held: a class whose stored properties are all
        // set runs its deinit when the initializer throws, which would close `fd` a second time
        // (by then possibly another lock's descriptor, which that close would also unlock).
        let started = ContinuousClock.now
        let waited = try Self.lock(fd, path: path, volume: volume, timeout: timeout)
        descriptor = fd
        if let logger {
            let elapsed = ContinuousClock.now - started
            let level: Logger.Level = elapsed > .seconds(1) ? .info : .debug
            logger.log(
                level: level, waited ? "lock acquired after waiting for another gshare process" : "lock acquired",
                metadata: ["volume": "\(volume)", "key": "\(volumeID)", "waited_ms": "\(waited ? elapsed.wholeMilliseconds : 0)"])
        }
    }

    /// Takes the flock on `fd`, polling until `timeout`; closes `fd` before throwing.
    /// Returns whether it had to wait.
    private static func lock(_ fd: Int32, path: String, volume: String, timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var waited = false
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return waited }
            let code = errno
            waited = true
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw ShareDriverError(
                    .lockFailed, volume: volume, message: "cannot lock \(path): \(String(cString: strerror(code)))", hint: nil)
            }
            if ContinuousClock.now >= deadline {
                close(fd)
                throw ShareDriverError(
                    .lockTimeout, volume: volume,
                    message: "another gshare process has held the lock on \(volume) for more than \(timeout)",
                    hint: "wait for it to finish (fuser -v \(path) shows who holds it), then retry")
            }
            usleep(10_000)
        }
    }

    /// Tries once; nil when another process holds the volume's lock.
    /// Takes the lock, waiting up to `timeout` for another holder without blocking a thread:
    /// between attempts the task sleeps, so a server with many requests waiting for one
    /// volume keeps its threads for the requests that can run (the blocking init's wait tied
    /// up a thread of Swift's small cooperative pool per waiter: under 200 requests at once
    /// on three shares, `gshare serve` stopped answering).
    public static func acquire(stateDirectory: String, key: String, volume: String, timeout: Duration, logger: Logger? = nil) async throws -> VolumeLock {
        let started = ContinuousClock.now
        let deadline = started + timeout
        while true {
            if let lock = try attempt(stateDirectory: stateDirectory, key: key, volume: volume) {
                let elapsed = ContinuousClock.now - started
                let waited = elapsed > .milliseconds(5)
                logger?.log(
                    level: elapsed > .seconds(1) ? .info : .debug, waited ? "lock acquired after waiting for another holder" : "lock acquired",
                    metadata: ["volume": "\(volume)", "key": "\(key)", "waited_ms": "\(waited ? elapsed.wholeMilliseconds : 0)"])
                return lock
            }
            guard ContinuousClock.now < deadline else {
                let path = ((stateDirectory as NSString).appendingPathComponent("locks") as NSString).appendingPathComponent("\(key).lock")
                throw ShareDriverError(
                    .lockTimeout, volume: volume,
                    message: "another gshare process (or request) has held the lock on \(volume) for more than \(timeout)",
                    hint: "wait for it to finish (fuser -v \(path) shows which process holds it), then retry")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    public static func attempt(stateDirectory: String, volumeID: String, volume: String) throws -> VolumeLock? {
        try attempt(stateDirectory: stateDirectory, key: key(volumeID: volumeID, volume: volume), volume: volume)
    }

    /// Tries once; nil when another process holds the lock.
    public static func attempt(stateDirectory: String, key: String, volume: String) throws -> VolumeLock? {
        do {
            return try VolumeLock(stateDirectory: stateDirectory, key: key, volume: volume, timeout: .zero)
        } catch let error as ShareDriverError where error.code == .lockTimeout {
            return nil
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// A file-name-safe rendering (server text may hold `@`, `:`, `[`…).
    static func fileName(_ text: String) -> String {
        String(
            text.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "@": Character(scalar)
                default: "_"
                }
            })
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the gluster CLI. The driver talks to GlusterFS only through this protocol, so a
/// local runner and (later) an SSH runner are interchangeable.
public protocol GlusterCommandRunner: Sendable {
    /// Runs `gluster --mode=script --xml <arguments>` and returns what it printed.
    /// A non-zero exit status is a result, not an error; only a runner that cannot run
    /// (no gluster binary, a timeout) throws.
    func run(_ arguments: [String]) async throws -> GlusterCommandOutput

    /// The value glusterd committed for option `key` of `volume`, read from its store on
    /// this machine without a CLI call — or nil when this runner cannot (then the caller asks
    /// `gluster volume get`).
    func committedOption(_ key: String, ofVolume volume: String) async -> String?
}

extension GlusterCommandRunner {
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? { nil }
}

/// Runs the gluster CLI on this machine, with an argument vector (never a shell).
public struct LocalGlusterRunner: GlusterCommandRunner {
    /// The gluster CLI.
    public var executable: String
    /// The CLI is killed (by its PID) when it runs longer than this.
    public var timeout: Duration

    /// glusterd's working directory (its store: `vols/VOLUME/info`).
    public var glusterdWorkdir: String

    public init(executable: String = "/usr/sbin/gluster", timeout: Duration = .seconds(120), glusterdWorkdir: String = "/var/lib/glusterd") {
        self.executable = executable
        self.timeout = timeout
        self.glusterdWorkdir = glusterdWorkdir
    }

    /// Reads `key=value` from `<glusterdWorkdir>/vols/<volume>/info`: glusterd's own record of
    /// the volume, which it writes in the commit phase of a `volume set`, before the CLI
    /// returns. Readable by root only; nil when unreadable, absent or the name is odd.
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        guard !volume.isEmpty, !volume.contains("/"), !volume.hasPrefix("."), !key.contains("=") else { return nil }
        let path = "\(glusterdWorkdir)/vols/\(volume)/info"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let prefix = key + "="
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count))
        }
        return nil
    }

    /// The options every call carries: `--mode=script` (without it `volume stop`/`delete`
    /// prompt, and with no stdin silently do nothing) and `--xml`.
    public static let fixedOptions = ["--mode=script", "--xml"]

    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let command = arguments
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw GlusterDriverError(
                .runnerFailed, command: command,
                message: "\(executable) is not there: install glusterfs-server (or glusterfs-cli) on this machine")
        }
        let timeout = self.timeout
        let executable = self.executable
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.runBlocking(executable, Self.fixedOptions + arguments, command: command, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], command: [String], timeout: Duration) throws -> GlusterCommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw GlusterDriverError(.runnerFailed, command: command, message: "cannot start \(executable): \(error)")
        }
        let pid = process.processIdentifier
        let finished = DispatchSemaphore(value: 0)
        let errorData = DataBox()
        DispatchQueue.global().async {
            errorData.data = err.fileHandleForReading.readDataToEndOfFile()
            finished.signal()
        }
        let timedOut = TimeoutFlag()
        let watchdog = DispatchWorkItem {
            timedOut.set()
            kill(pid, SIGKILL)
        }
        let (seconds, attoseconds) = timeout.components
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) / 1e18, execute: watchdog)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        process.waitUntilExit()
        watchdog.cancel()
        if timedOut.isSet {
            throw GlusterDriverError(
                .runnerFailed, command: command, message: "gluster did not finish within \(timeout); it was stopped (is glusterd busy or hung?)")
        }
        return GlusterCommandOutput(
            exitStatus: process.terminationStatus, standardOutput: outData,
            standardError: String(decoding: errorData.data, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {  // written by one thread before a semaphore signal, read after
    var data = Data()
}

private final class TimeoutFlag: @unchecked Sendable {  // guarded by its lock
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

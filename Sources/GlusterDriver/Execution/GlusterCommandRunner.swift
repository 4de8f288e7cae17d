//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
internal import GShareProcess

/// Runs the gluster CLI. The driver talks to GlusterFS only through this protocol, so a
/// local runner and the SSH runner (``SSHGlusterRunner``) are interchangeable.
public protocol GlusterCommandRunner: Sendable {
    /// Runs `gluster --mode=script --xml <arguments>` and returns what it printed.
    /// A non-zero exit status is a result, not an error; only a runner that cannot run
    /// (no gluster binary, a timeout) throws.
    func run(_ arguments: [String]) async throws -> GlusterCommandOutput

    /// The value glusterd committed for option `key` of `volume`, read from its store on
    /// this machine without a CLI call — or nil when this runner cannot (then the caller asks
    /// `gluster volume get`).
    func committedOption(_ key: String, ofVolume volume: String) async -> String?

    /// Makes the first command quick: logs in (SSH) ahead of it, so that the login can run
    /// while something else does (the cluster lock is taken). Never throws: a failure shows
    /// up again, and is reported, at the first command.
    func warmUp() async
}

extension GlusterCommandRunner {
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? { nil }
    public func warmUp() async {}
}

/// Runs the gluster CLI on this machine, with an argument vector (never a shell), through
/// GShareProcess (swift-subprocess): killed by the deadline watchdog when it runs longer than
/// ``timeout``, and when its output passes ``standardOutputLimit`` / ``standardErrorLimit``.
public struct LocalGlusterRunner: GlusterCommandRunner {
    /// The gluster CLI.
    public var executable: String
    /// The CLI is killed (`SIGKILL`, through its pidfd) when it runs longer than this.
    public var timeout: Duration
    /// The most stdout the CLI may print (its XML); past it, it is killed. `volume info all`
    /// of a thousand volumes is a few MiB.
    public var standardOutputLimit = 64 << 20
    /// The most stderr the CLI may print; past it, it is killed.
    public var standardErrorLimit = 1 << 20

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
        guard let path = Self.storePath(glusterdWorkdir: glusterdWorkdir, volume: volume, key: key),
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return Self.option(key, inStore: data)
    }

    /// `<workdir>/vols/<volume>/info`, or nil for a name that could leave that folder.
    static func storePath(glusterdWorkdir: String, volume: String, key: String) -> String? {
        guard !volume.isEmpty, !volume.contains("/"), !volume.hasPrefix("."), !key.contains("="), !key.isEmpty else { return nil }
        return "\(glusterdWorkdir)/vols/\(volume)/info"
    }

    /// The value of `key` in the text of glusterd's `info` file (`key=value` lines).
    static func option(_ key: String, inStore data: Data) -> String? {
        let prefix = key + "="
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count))
        }
        return nil
    }

    /// The options every call carries: `--mode=script` (without it `volume stop`/`delete`
    /// prompt, and with no stdin silently do nothing) and `--xml`.
    public static let fixedOptions = ["--mode=script", "--xml"]

    /// - Throws: ``GlusterDriverError`` `runnerFailed` when the CLI is missing or cannot start,
    ///   does not finish within ``timeout``, prints more than its limits, or is killed by a
    ///   signal; `CancellationError` when the calling task is cancelled (the CLI is killed).
    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let command = arguments
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw GlusterDriverError(
                .runnerFailed, command: command,
                message: "\(executable) is not there: install glusterfs-server (or glusterfs-cli) on this machine")
        }
        let result: ChildProcessResult
        do {
            result = try await ChildProcess(executable: executable, arguments: Self.fixedOptions + arguments).run(
                limits: ChildOutputLimits(standardOutput: standardOutputLimit, standardError: standardErrorLimit), deadline: timeout)
        } catch let error as ChildProcessError where error.code == .outputLimitExceeded {
            throw GlusterDriverError(
                .runnerFailed, command: command,
                message: "\(error.message) (is something other than gluster at \(executable)? if the pool really is that large, raise LocalGlusterRunner's standardOutputLimit)")
        } catch let error as ChildProcessError {
            throw GlusterDriverError(.runnerFailed, command: command, message: "cannot run \(executable): \(error.message); \(error.fix)")
        }
        let standardError = String(decoding: result.standardError, as: UTF8.self)
        switch result.termination {
        case .exited(let status):
            return GlusterCommandOutput(exitStatus: status, standardOutput: Data(result.standardOutput), standardError: standardError)
        case .killedAtDeadline:
            throw GlusterDriverError(
                .timedOut, command: command, message: "gluster did not finish within \(timeout); it was stopped (is glusterd busy or hung?)")
        case .cancelled:
            throw CancellationError()
        case .signaled(let signal):
            throw GlusterDriverError(
                .runnerFailed, command: command,
                message: "gluster was killed by signal \(signal) before it finished\(result.standardErrorText.isEmpty ? "" : " (it said: \(result.standardErrorText.prefix(200)))"); run the command by hand to see why")
        }
    }
}

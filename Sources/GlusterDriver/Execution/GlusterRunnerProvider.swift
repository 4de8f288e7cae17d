//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Gives the runner for a server: the local CLI for a server without a user; SSH otherwise.
public protocol GlusterRunnerProvider: Sendable {
    func runner(for server: GlusterServer) throws -> any GlusterCommandRunner
    /// Lock workers kept connected for the changes made through these runners (a
    /// long-running process's); nil: every change starts its own.
    var readyLockWorkers: ReadyLockWorkers? { get }
}

extension GlusterRunnerProvider {
    public var readyLockWorkers: ReadyLockWorkers? { nil }
}

/// The runners the configuration asks for: the local CLI for a server without a user, the
/// remote CLI over SSH (one reused session per server) for `user@host` servers.
public struct ConfiguredRunnerProvider: GlusterRunnerProvider {
    public let glusterCommand: String
    public let glusterdWorkdir: String
    public let timeout: Duration
    /// When set, every gluster call is appended to this file as one JSON line (see
    /// ``TracingGlusterRunner``).
    public let tracePath: String?
    let remoteCommand: [String]
    let sessions: SSHSessions
    public let readyLockWorkers: ReadyLockWorkers?

    /// The environment variable naming a trace file.
    public static let traceEnvironmentVariable = "GSHARE_GLUSTER_TRACE"

    /// - Parameter logger: SSH connects are logged there.
    /// - Parameter keepLockWorkersReady: keep a cluster-lock worker connected to each lock
    ///   volume between changes (``ReadyLockWorkers``): for a long-running process.
    public init(
        config: GShareConfig, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger = ShareDriver.noLogging,
        keepLockWorkersReady: Bool = false
    ) {
        self.readyLockWorkers = keepLockWorkersReady ? ReadyLockWorkers() : nil
        self.glusterCommand = config.glusterCommand
        self.glusterdWorkdir = config.glusterdWorkdir
        self.timeout = config.commandTimeout
        self.tracePath = environment[Self.traceEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.remoteCommand = config.remoteGlusterCommand
        self.sessions = SSHSessions(login: SSHLogin(config: config), logger: logger)
    }

    public func runner(for server: GlusterServer) throws -> any GlusterCommandRunner {
        let runner: any GlusterCommandRunner =
            server.runsLocally
            ? LocalGlusterRunner(executable: glusterCommand, timeout: timeout, glusterdWorkdir: glusterdWorkdir)
            : SSHGlusterRunner(server: server, sessions: sessions, remoteCommand: remoteCommand, timeout: timeout, glusterdWorkdir: glusterdWorkdir)
        guard let tracePath else { return runner }
        return TracingGlusterRunner(wrapping: runner, server: server.description, tracePath: tracePath)
    }
}

/// A runner that records each call (server, arguments, exit status, milliseconds) as one
/// JSON line appended to a file, then returns what the wrapped runner returned. Used by tests
/// and benchmarks to count the gluster calls of one gshare operation.
public struct TracingGlusterRunner: GlusterCommandRunner {
    public let wrapped: any GlusterCommandRunner
    public let server: String
    public let tracePath: String

    public init(wrapping wrapped: any GlusterCommandRunner, server: String, tracePath: String) {
        self.wrapped = wrapped
        self.server = server
        self.tracePath = tracePath
    }

    struct Record: Codable {
        let server: String
        let arguments: [String]
        let exitStatus: Int32?
        let milliseconds: Int
    }

    /// Forwarded (a store read is not a gluster call: not traced).
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        await wrapped.committedOption(key, ofVolume: volume)
    }

    public func warmUp() async { await wrapped.warmUp() }

    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let start = ContinuousClock.now
        var status: Int32?
        defer {
            let milliseconds = Int((ContinuousClock.now - start).wholeMilliseconds)
            if var line = try? JSONEncoder().encode(Record(server: server, arguments: arguments, exitStatus: status, milliseconds: milliseconds)) {
                line.append(0x0A)
                // O_APPEND: one write(2) per line, so concurrent processes never interleave.
                let fd = open(tracePath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
                if fd >= 0 {
                    _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
            }
        }
        let output = try await wrapped.run(arguments)
        status = output.exitStatus
        return output
    }
}

/// A runner that logs each call at `debug` (server, arguments, exit status, milliseconds),
/// then returns what the wrapped runner returned. Gluster arguments carry volume names and
/// CNs, never a secret.
public struct LoggingGlusterRunner: GlusterCommandRunner {
    public let wrapped: any GlusterCommandRunner
    public let server: String
    public let logger: Logger

    public init(wrapping wrapped: any GlusterCommandRunner, server: String, logger: Logger) {
        self.wrapped = wrapped
        self.server = server
        self.logger = logger
    }

    /// Forwarded (a store read is not a gluster call), logged when it answers.
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        let value = await wrapped.committedOption(key, ofVolume: volume)
        if value != nil { logger.debug("read glusterd's committed store", metadata: ["volume": "\(volume)", "key": "\(key)"]) }
        return value
    }

    public func warmUp() async { await wrapped.warmUp() }

    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let start = ContinuousClock.now
        func milliseconds() -> Int64 { (ContinuousClock.now - start).wholeMilliseconds }
        do {
            let output = try await wrapped.run(arguments)
            logger.debug(
                "gluster \(arguments.joined(separator: " "))",
                metadata: ["server": "\(server)", "status": "\(output.exitStatus)", "ms": "\(milliseconds())"])
            return output
        } catch {
            logger.debug(
                "gluster \(arguments.joined(separator: " ")) failed", metadata: ["server": "\(server)", "error": "\(error)", "ms": "\(milliseconds())"])
            throw error
        }
    }
}

extension Duration {
    /// This duration in whole milliseconds (for logs and traces).
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

public import Foundation

/// The repository's root, found from this file's location.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A path inside `fixtures/certs/`, the certificate corpus.
public func corpusPath(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("fixtures/certs").appendingPathComponent(relative).path
}

/// What a finished process printed and how it ended.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal's number when ``signaled``.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Whether a signal ended it (a trap is SIGILL or SIGTRAP, not an exit status).
    public var signaled = false
}

/// Runs a program with an argument vector (never a shell) and no stdin, draining stdout
/// and stderr concurrently so a chatty child cannot block on a full pipe. `environment`
/// entries are added to (or replace) this process's environment.
public func runProcess(
    _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
) async throws -> ProcessResult {
    // The waiting happens on a thread of its own: a test that blocked one of the (few)
    // threads the suites share would stall every other suite, timings included.
    try await onOwnThread { try runProcessBlocking(executable, arguments, in: directory, environment: environment) }
}

/// Runs `body` on a new thread (not one of the concurrency pool's) and waits for it without
/// blocking the caller's thread.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// ``runProcess(_:_:in:environment:)`` blocking the calling thread: only for clean-up in a
/// `defer` (which cannot `await`), for short commands.
public func runProcessBlocking(
    _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
) throws -> ProcessResult {
    let out = try SpawnedChild.pipe()
    let err = try SpawnedChild.pipe()
    let child: SpawnedChild
    do {
        child = try SpawnedChild(executable, arguments, directory: directory?.path, environment: environment, stdout: out.write, stderr: err.write)
    } catch {
        for fd in [out.read, out.write, err.read, err.write] { close(fd) }
        throw error
    }
    close(out.write)
    close(err.write)
    let errorOutput = DataBox()
    let finished = DispatchSemaphore(value: 0)
    Thread {
        errorOutput.data = SpawnedChild.readToEnd(err.read)
        finished.signal()
    }.start()
    let outData = SpawnedChild.readToEnd(out.read)
    finished.wait()
    let (status, signaled) = child.wait()
    return ProcessResult(
        status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errorOutput.data, as: UTF8.self),
        signaled: signaled)
}

// glibc has both; Swift's Glibc module leaves out what needs _GNU_SOURCE.
@_silgen_name("pipe2") private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func systemAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func systemAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

/// A child started with `posix_spawn` and reaped with `waitpid` on its own PID.
///
/// Foundation's `Process` learns of a child's end from SIGCHLD; in a test process whose
/// threads (some made by libdispatch, some by `Thread`) do not all block that signal, it can
/// miss it and wait for good beside a zombie (seen with scripts/gluster-cluster kill-node).
/// `waitpid` on the PID cannot miss it.
final class SpawnedChild: @unchecked Sendable {  // `pid` is immutable; `exit` is guarded by `lock`
    let pid: pid_t
    private let lock = NSLock()
    private var exit: (status: Int32, signaled: Bool)?

    /// A pipe whose two ends close on exec (the child gets its end through dup2).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard systemPipe2(&fds, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return (fds[0], fds[1])
    }

    /// Reads `fd` to its end, then closes it.
    static func readToEnd(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(fd)
        return data
    }

    /// Starts `executable` (an argument vector, never a shell) with stdin from /dev/null and
    /// stdout/stderr on the given descriptors.
    init(_ executable: String, _ arguments: [String], directory: String?, environment: [String: String], stdout: Int32, stderr: Int32) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Nothing else of this process reaches the child: not another test's pipe (whose
        // reader would wait for the child's end), not a file another test is writing (whose
        // exec would fail with ETXTBSY while the child holds it open).
        _ = systemAddCloseFrom(&actions, 3)
        if let directory { _ = systemAddChdir(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // the child starts with no signal blocked and default handlers, whatever this thread has
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
        }
        self.pid = pid
    }

    /// Whether the child has not ended yet (reaps it when it has).
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if exit != nil { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        exit = Self.decode(status)
        return false
    }

    /// Waits for the child's end: its exit status, or the signal that ended it.
    func wait() -> (status: Int32, signaled: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if let exit { return exit }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let decoded = Self.decode(status)
        exit = decoded
        return decoded
    }

    private static func decode(_ status: Int32) -> (status: Int32, signaled: Bool) {
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (signal, true)
    }
}

private final class DataBox: @unchecked Sendable {  // written by one thread before the semaphore signals, read after
    var data = Data()
}

/// A fresh temporary directory; remove it with `FileManager.default.removeItem`.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A program started with ``startProcess(_:_:environment:)``, writing to temporary files.
public final class StartedProcess: @unchecked Sendable {  // used by one thread at a time
    let child: SpawnedChild
    let outPath: String
    let errPath: String

    init(child: SpawnedChild, outPath: String, errPath: String) {
        self.child = child
        self.outPath = outPath
        self.errPath = errPath
    }

    /// True while the program runs.
    public var isRunning: Bool { child.isRunning }

    /// Its process ID.
    public var processIdentifier: pid_t { child.pid }

    /// Sends `signal` to it (only while it has not been waited for, so never to a reused PID).
    public func kill(_ signal: Int32 = SIGKILL) {
        if child.isRunning { _ = Glibc.kill(child.pid, signal) }
    }

    /// What it printed to stdout so far.
    public var standardOutputSoFar: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

    /// Waits (on a thread of its own) for it to end and returns what it printed.
    public func finish() async throws -> ProcessResult {
        try await onOwnThread { self.finishBlocking() }
    }

    private func finishBlocking() -> ProcessResult {
        let (status, signaled) = child.wait()
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        return ProcessResult(
            status: status,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "", signaled: signaled)
    }
}

/// Starts a program (argument vector, no stdin, output to temporary files) without waiting:
/// start many, then ``StartedProcess/finish()`` each, to run them at the same time without
/// tying up a thread per child (blocking the test runner's shared threads stalls other suites).
public func startProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> StartedProcess {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-process-\(UUID().uuidString)").path
    let outPath = base + ".out"
    let errPath = base + ".err"
    let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    defer {
        if out >= 0 { close(out) }
        if err >= 0 { close(err) }
    }
    guard out >= 0, err >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    let child = try SpawnedChild(executable, arguments, directory: nil, environment: environment, stdout: out, stderr: err)
    return StartedProcess(child: child, outPath: outPath, errPath: errPath)
}

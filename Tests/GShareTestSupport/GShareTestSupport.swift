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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errorOutput = DataBox()
    let finished = DispatchSemaphore(value: 0)
    Thread {
        errorOutput.data = err.fileHandleForReading.readDataToEndOfFile()
        finished.signal()
    }.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    finished.wait()
    let errData = errorOutput.data
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
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
    let process: Process
    let outPath: String
    let errPath: String

    init(process: Process, outPath: String, errPath: String) {
        self.process = process
        self.outPath = outPath
        self.errPath = errPath
    }

    /// True while the program runs.
    public var isRunning: Bool { process.isRunning }

    /// Waits (on a thread of its own) for it to end and returns what it printed.
    public func finish() async throws -> ProcessResult {
        try await onOwnThread { self.finishBlocking() }
    }

    private func finishBlocking() -> ProcessResult {
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        return ProcessResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Starts a program (argument vector, no stdin, output to temporary files) without waiting:
/// start many, then ``StartedProcess/finish()`` each, to run them at the same time without
/// tying up a thread per child (blocking the test runner's shared threads stalls other suites).
public func startProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> StartedProcess {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-process-\(UUID().uuidString)").path
    let outPath = base + ".out"
    let errPath = base + ".err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return StartedProcess(process: process, outPath: outPath, errPath: errPath)
}

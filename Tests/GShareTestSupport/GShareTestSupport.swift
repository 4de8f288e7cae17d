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
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program with an argument vector (never a shell) and no stdin, draining stdout
/// and stderr concurrently so a chatty child cannot block on a full pipe. `environment`
/// entries are added to (or replace) this process's environment.
public func runProcess(
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
    DispatchQueue.global().async {
        errorOutput.data = err.fileHandleForReading.readDataToEndOfFile()
        finished.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    finished.wait()
    let errData = errorOutput.data
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
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

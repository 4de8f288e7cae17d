//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests: running the openssl CLI against what gshare issues
//===----------------------------------------------------------------------===//

import Dispatch
import Foundation
import GShareTestSupport
import Synchronization

@testable import TenantPKI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the test machinery itself (not of the code under test).
struct InteropFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a bounded process run ended.
struct BoundedProcessResult: Sendable, CustomStringConvertible {
    /// The exit status; -1 when the process had to be killed.
    let status: Int32
    let stdout: String
    let stderr: String
    /// The process did not finish in time and was killed.
    let timedOut: Bool

    /// stdout then stderr: openssl prints results to one and errors to the other.
    var output: String { stdout + stderr }
    var description: String { "status \(status)\(timedOut ? " (timed out, killed)" : "")\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Collects what a child writes to one pipe, as it arrives.
private final class OutputBuffer: Sendable {
    private let data = Mutex<Data>(Data())
    private let closed = DispatchSemaphore(value: 0)

    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Reads `handle` on a background thread until end of file.
    func drain(_ handle: FileHandle) {
        DispatchQueue.global().async {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.data.withLock { $0.append(chunk) }
            }
            self.closed.signal()
        }
    }

    /// Waits (bounded) until the writer closed the pipe.
    func waitForEndOfFile(timeout: TimeInterval) {
        _ = closed.wait(timeout: .now() + timeout)
    }
}

/// A child process run with an argument vector (never a shell), its output collected
/// while it runs, every wait bounded, and stoppable by its own PID only.
final class LaunchedProcess {
    let process: Process
    private let out = OutputBuffer()
    private let err = OutputBuffer()
    private let exited = DispatchSemaphore(value: 0)
    private var hasExited = false

    /// - Parameter standardInputFile: a file to feed as stdin; nil means /dev/null.
    init(_ executable: String, _ arguments: [String], standardInputFile: String? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        if let standardInputFile {
            guard let input = FileHandle(forReadingAtPath: standardInputFile) else {
                throw InteropFailure("cannot open \(standardInputFile) as stdin")
            }
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        out.drain(stdoutPipe.fileHandleForReading)
        err.drain(stderrPipe.fileHandleForReading)
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { out.text }
    var stderr: String { err.text }

    /// Waits at most `timeout` seconds for the process to end.
    @discardableResult
    func waitForExit(timeout: TimeInterval) -> Bool {
        if hasExited { return true }
        if exited.wait(timeout: .now() + timeout) == .success { hasExited = true }
        return hasExited
    }

    /// Waits at most `timeout` seconds for `text` on stdout; false if the process ends
    /// (or the time runs out) first.
    func waitForStandardOutput(containing text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            if waitForExit(timeout: 0.02) {
                out.waitForEndOfFile(timeout: 1)
                return stdout.contains(text)
            }
        }
        return stdout.contains(text)
    }

    /// Ends the process if it still runs: SIGTERM, then SIGKILL, each wait bounded.
    /// Only ever signals this process's own PID.
    func stop() {
        guard !waitForExit(timeout: 0) else { return }
        kill(pid, SIGTERM)
        if !waitForExit(timeout: 2) {
            kill(pid, SIGKILL)
            waitForExit(timeout: 2)
        }
    }

    /// Waits at most `timeout` seconds for the process to end (killing it otherwise) and
    /// returns what it printed.
    func finish(timeout: TimeInterval) -> BoundedProcessResult {
        let inTime = waitForExit(timeout: timeout)
        if !inTime { stop() }
        out.waitForEndOfFile(timeout: 2)
        err.waitForEndOfFile(timeout: 2)
        let status: Int32 = inTime ? process.terminationStatus : -1
        return BoundedProcessResult(status: status, stdout: stdout, stderr: stderr, timedOut: !inTime)
    }
}

/// The openssl command line, run with argument vectors and bounded waits.
enum OpenSSLCLI {
    static let path = "/usr/bin/openssl"

    /// Runs `openssl arguments…`, killing it after `timeout` seconds.
    static func run(_ arguments: [String], standardInputFile: String? = nil, timeout: TimeInterval = 15) throws -> BoundedProcessResult {
        try LaunchedProcess(path, arguments, standardInputFile: standardInputFile).finish(timeout: timeout)
    }

    /// `openssl verify` set up the way a GlusterFS peer checks (security level 2,
    /// `ssl.certificate-depth` 1), with nothing from the system trust store.
    ///
    /// - Parameters:
    ///   - crlDirectory: when given, `-crl_check_all -CApath crlDirectory` (GlusterFS's
    ///     `ssl.crl-path`); otherwise no CApath at all.
    static func verify(
        _ leaf: String, purpose: String, caFile: String, untrusted: String? = nil, crlDirectory: String? = nil,
        crlCheck: Bool = true
    ) throws -> BoundedProcessResult {
        var arguments = ["verify", "-purpose", purpose, "-auth_level", "2", "-verify_depth", "1", "-no-CAstore", "-CAfile", caFile]
        if let untrusted { arguments += ["-untrusted", untrusted] }
        if let crlDirectory {
            arguments += ["-CApath", crlDirectory]
        } else {
            arguments += ["-no-CApath"]
        }
        if crlCheck && crlDirectory != nil { arguments += ["-crl_check_all"] }
        arguments.append(leaf)
        return try run(arguments)
    }

    /// The value lines of one extension as `openssl x509 -ext` prints them.
    static func extensionText(_ name: String, of certificate: String) throws -> [String] {
        let result = try run(["x509", "-noout", "-ext", name, "-in", certificate])
        guard result.status == 0 else { throw InteropFailure("openssl x509 -ext \(name) failed: \(result)") }
        return result.stdout.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// `openssl <command> -hash -noout -in file` (x509 or crl).
    static func nameHash(_ command: String, of file: String) throws -> String {
        let result = try run([command, "-hash", "-noout", "-in", file])
        guard result.status == 0 else { throw InteropFailure("openssl \(command) -hash failed: \(result)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `openssl s_server` on a free 127.0.0.1 port in 20000–60000 (random ports,
    /// retried when the port is taken) and waits (bounded) until it prints ACCEPT.
    /// The caller must `stop()` the returned server (it is also stopped on every failure here).
    static func startServer(_ arguments: [String], attempts: Int = 10) throws -> (server: LaunchedProcess, port: Int) {
        var lastFailure = ""
        for _ in 0..<attempts {
            let port = Int.random(in: 20000...60000)
            let server = try LaunchedProcess(path, ["s_server", "-accept", "127.0.0.1:\(port)"] + arguments)
            if server.waitForStandardOutput(containing: "ACCEPT", timeout: 5) { return (server, port) }
            server.stop()
            let output = server.stdout + server.stderr
            lastFailure = output
            // A port someone else holds: try another one. Anything else is a real failure.
            guard output.contains("in use") || output.contains("bind") else {
                throw InteropFailure("openssl s_server did not start on 127.0.0.1:\(port):\n\(output)")
            }
        }
        throw InteropFailure("openssl s_server found no free port in \(attempts) attempts; last output:\n\(lastFailure)")
    }
}

/// A lab PKI built by ``LabBuilder`` in a temporary folder, with the paths the tests need.
struct InteropLab {
    static let authorities = ["node-root", "node-int", "tenant-root", "tenant-int"]
    static let nodes = ["node-1", "node-2"]
    static let manager = "gshare-manager"
    static let tenants = ["tenant-a", "tenant-b"]

    /// The temporary folder (removed by ``remove()``); the lab is `base/lab`.
    let base: URL
    let directory: String
    let outcome: LabBuilder.Outcome

    static var profile: LabProfile {
        get throws {
            LabProfile(
                nodeHierarchy: .init(rootCommonName: "Interop Node Root", intermediateCommonName: "Interop Node Int"),
                tenantHierarchy: .init(rootCommonName: "Interop Tenant Root", intermediateCommonName: "Interop Tenant Int"),
                nodes: try nodes.map(CommonName.init(validating:)), manager: try CommonName(validating: manager),
                tenants: try tenants.map(CommonName.init(validating:)),
                nodeSubjectAlternativeNames: [try SubjectAlternativeName(validating: "IP:127.0.0.1")])
        }
    }

    static func build() throws -> InteropLab {
        let base = try makeTemporaryDirectory()
        do {
            let directory = base.path + "/lab"
            let outcome = try LabBuilder.build(profile, in: directory)
            try FileManager.default.createDirectory(atPath: base.path + "/scratch", withIntermediateDirectories: true)
            return InteropLab(base: base, directory: directory, outcome: outcome)
        } catch {
            try? FileManager.default.removeItem(at: base)
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(at: base) }

    // MARK: Paths

    func authority(_ name: String) -> String { "\(directory)/ca/\(name)" }
    func caCertificate(_ name: String) -> String { "\(authority(name))/ca.pem" }
    func host(_ name: String) -> String { "\(directory)/hosts/\(name)" }
    func glusterFS(_ name: String, _ suffix: String) -> String { "\(host(name))/glusterfs/glusterfs.\(suffix)" }
    var crlDirectory: String { "\(directory)/crl" }
    var hashedCRLDirectory: String { "\(directory)/crl/hashed" }
    func crlFile(_ authority: String) -> String { "\(crlDirectory)/\(authority).crl.pem" }

    /// The node-hierarchy hosts: every node and the manager.
    static var nodeHierarchyHosts: [String] { nodes + [manager] }

    // MARK: Chains as a TLS peer sends them

    /// The PEM certificate blocks of a file, in order (split as text, independent of gshare).
    static func pemBlocks(in path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let end = "-----END CERTIFICATE-----"
        return text.components(separatedBy: end).dropLast().map { block in
            let start = block.range(of: "-----BEGIN CERTIFICATE-----")!.lowerBound
            return String(block[start...]) + end + "\n"
        }
    }

    /// Splits `glusterfs.pem` of `name` into the leaf and the rest (what follows the leaf
    /// in the TLS Certificate message), written to scratch files.
    func splitGlusterFSChain(_ name: String) throws -> (leaf: String, rest: String) {
        let blocks = try Self.pemBlocks(in: glusterFS(name, "pem"))
        guard blocks.count >= 2 else { throw InteropFailure("\(glusterFS(name, "pem")) holds \(blocks.count) certificate(s), not leaf + chain") }
        let leaf = "\(base.path)/scratch/\(name).leaf.pem"
        let rest = "\(base.path)/scratch/\(name).chain.pem"
        try blocks[0].write(toFile: leaf, atomically: true, encoding: .utf8)
        try blocks.dropFirst().joined().write(toFile: rest, atomically: true, encoding: .utf8)
        return (leaf, rest)
    }

    // MARK: gshare's side

    /// gshare's verifier trusting one root, with the CRLs of all four CAs.
    func gshareVerifier(trusting root: String) throws -> CertificateVerifier {
        let crls = try Self.authorities.flatMap { try RevocationList.load(fromFile: crlFile($0)) }
        let store = TrustStore(anchors: try Certificate.load(fromFile: caCertificate(root)), revocationLists: crls)
        return CertificateVerifier(trustStore: store)
    }

    /// gshare's report on a host's `glusterfs.pem` (leaf + intermediate) with its key.
    func gshareReport(for name: String, trusting root: String) throws -> VerificationReport {
        try gshareVerifier(trusting: root).verify(
            chain: try Certificate.load(fromFile: glusterFS(name, "pem")), key: try PrivateKeyFile(path: glusterFS(name, "key")))
    }

    // MARK: Revocation

    /// Revokes a tenant with the tenant intermediate and refreshes the CRLs of all four CAs.
    @discardableResult
    func revokeTenant(_ name: String, reason: RevocationReason = .keyCompromise) throws -> Certificate {
        let certificate = try Certificate.load(fromFile: "\(host(name))/\(name).pem")[0]
        try CertificateAuthority.load(from: authority("tenant-int")).revoke(certificate: certificate, reason: reason)
        let authorities = try Self.authorities.map { try CertificateAuthority.load(from: authority($0)) }
        _ = try CRLPublisher.publish(for: authorities, to: crlDirectory)
        return certificate
    }
}

/// The permission bits of a file (not following symlinks).
func permissionBits(of path: String) -> UInt32? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o7777
}

//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// The lab as these tests use it: libgfapi identities and connections.
typealias Lab = LabDescription

extension LabDescription {
    func identity(_ name: String) throws -> GlusterTLSIdentity {
        let identity = try identity(named: name)
        return GlusterTLSIdentity(certificateChain: identity.cert, privateKey: identity.key, certificateAuthorities: identity.ca)
    }

    /// `role`'s volume, as `identity`.
    func connection(_ role: String, as identity: String, transport: GlusterTransportSecurity = .followVolume) throws -> GlusterConnection {
        GlusterConnection(
            address: GlusterVolumeAddress(host: host, volume: try volume(role)), identity: try self.identity(identity), transport: transport)
    }
}

/// The worker built beside this test bundle.
let workerURL: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gshare-gfapi-worker")
    let candidates = [beside, repositoryRoot.appendingPathComponent(".build/debug/gshare-gfapi-worker")]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? beside
}()

func makeClient() throws -> IsolatedGlusterClient { try IsolatedGlusterClient(workerPath: workerURL) }

/// The `gluster` CLI, always with `--mode=script` and an argument vector.
enum GlusterCLI {
    static let executable = ["/usr/sbin/gluster", "/usr/bin/gluster"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? "/usr/sbin/gluster"

    struct Failure: Error, CustomStringConvertible { let description: String }

    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let result = try await runProcess(executable, ["--mode=script"] + arguments)
        guard result.status == 0 else {
            throw Failure(description: "gluster \(arguments.joined(separator: " ")) exited \(result.status): \(result.stdout)\(result.stderr)")
        }
        return result.stdout
    }

    /// ``run(_:)`` blocking the calling thread: only for clean-up in a `defer`.
    @discardableResult
    static func runBlocking(_ arguments: [String]) throws -> String {
        let result = try runProcessBlocking(executable, ["--mode=script"] + arguments)
        guard result.status == 0 else {
            throw Failure(description: "gluster \(arguments.joined(separator: " ")) exited \(result.status): \(result.stdout)\(result.stderr)")
        }
        return result.stdout
    }

    /// A volume option's current value (`volume get`).
    static func get(_ volume: String, _ option: String) async throws -> String {
        let output = try await run(["volume", "get", volume, option])
        for line in output.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, fields[0] == option { return String(fields[1]) }
        }
        throw Failure(description: "gluster volume get \(volume) \(option): no value in \(output)")
    }

    /// ``set(_:_:_:)`` blocking the calling thread: only for clean-up in a `defer`.
    static func setBlocking(_ volume: String, _ option: String, _ value: String) throws {
        try runBlocking(["volume", "set", volume, option, value])
    }

    static func set(_ volume: String, _ option: String, _ value: String) async throws {
        try await run(["volume", "set", volume, option, value])
    }
}

/// Polls `body` until it returns true or `timeout` passes; returns how many attempts it took
/// (or nil when it never did).
func eventually(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(500), _ body: () async throws -> Bool)
    async rethrows -> Int?
{
    let clock = ContinuousClock()
    let end = clock.now + timeout
    var attempts = 0
    while true {
        attempts += 1
        if try await body() { return attempts }
        if clock.now >= end { return nil }
        try? await Task.sleep(for: interval)
    }
}

/// A TCP listener on 127.0.0.3 that completes handshakes (the kernel does) and never
/// answers: a glusterd that hangs. Closed on deinit.
final class SilentListener {
    let fd: Int32
    let port: Int

    struct Failure: Error, CustomStringConvertible { let description: String }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.3")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw Failure(description: "bind/listen on 127.0.0.3: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import GlusterDriver

@Suite("TracingGlusterRunner and ConfiguredRunnerProvider: one JSON line per gluster call")
struct TracingGlusterRunnerTests {
    struct Line: Decodable, Equatable {
        let server: String
        let arguments: [String]
        let exitStatus: Int32?
        let milliseconds: Int
    }

    private func withTraceFile(_ body: (String) async throws -> Void) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("trace.jsonl").path)
    }

    private func lines(_ path: String) throws -> [Line] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
    }

    @Test("a call is passed through unchanged and traced with server, arguments and exit status")
    func oneCallIsOneLine() async throws {
        try await withTraceFile { trace in
            let replay = try ReplayingGlusterRunner("volume-get-unknown-option.xml")
            let runner = TracingGlusterRunner(wrapping: replay, server: "127.0.0.2", tracePath: trace)
            let output = try await runner.run(["volume", "get", "gshare-test-access", "no.such.option"])
            #expect(output == (try VolumeInfoParsingTests.output("volume-get-unknown-option.xml")))
            #expect(replay.calls == [["volume", "get", "gshare-test-access", "no.such.option"]])
            let traced = try lines(trace)
            #expect(traced.count == 1)
            #expect(traced.first?.server == "127.0.0.2")
            #expect(traced.first?.arguments == ["volume", "get", "gshare-test-access", "no.such.option"])
            #expect(traced.first?.exitStatus == 1)
            #expect((traced.first?.milliseconds ?? -1) >= 0)
            let mode = try FileManager.default.attributesOfItem(atPath: trace)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("two concurrent calls give two intact lines")
    func concurrentCallsGiveIntactLines() async throws {
        try await withTraceFile { trace in
            let replay = try ReplayingGlusterRunner("volume-info-all.xml", "volume-get-ssl-allow.xml")
            let runner = TracingGlusterRunner(wrapping: replay, server: "127.0.0.2", tracePath: trace)
            async let info = runner.run(["volume", "info", "all"])
            async let get = runner.run(["volume", "get", "gshare-test-access", "auth.ssl-allow"])
            let (infoOutput, getOutput) = try await (info, get)
            #expect(infoOutput.exitStatus == 0 && getOutput.exitStatus == 0)
            let traced = try lines(trace)
            #expect(traced.count == 2)
            #expect(Set(traced.map(\.arguments)) == [["volume", "info", "all"], ["volume", "get", "gshare-test-access", "auth.ssl-allow"]])
            #expect(traced.allSatisfy { $0.server == "127.0.0.2" && $0.exitStatus == 0 })
        }
    }

    @Test("many concurrent calls each leave exactly one parseable line")
    func manyConcurrentCalls() async throws {
        try await withTraceFile { trace in
            let replay = try ReplayingGlusterRunner("volume-info-all.xml")
            let runner = TracingGlusterRunner(wrapping: replay, server: "root@gluster1:2222", tracePath: trace)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<64 {
                    group.addTask { _ = try await runner.run(["volume", "info", "all"]) }
                }
                try await group.waitForAll()
            }
            let traced = try lines(trace)
            #expect(traced.count == 64)
            #expect(traced.allSatisfy { $0.server == "root@gluster1:2222" && $0.arguments == ["volume", "info", "all"] })
        }
    }

    @Test("a call whose runner throws is traced without an exit status, and the error passes through")
    func failedRunIsTracedWithoutStatus() async throws {
        struct Broken: GlusterCommandRunner {
            struct Failure: Error {}
            func run(_ arguments: [String]) async throws -> GlusterCommandOutput { throw Failure() }
        }
        try await withTraceFile { trace in
            let runner = TracingGlusterRunner(wrapping: Broken(), server: "127.0.0.2", tracePath: trace)
            await #expect(throws: Broken.Failure.self) { _ = try await runner.run(["volume", "list"]) }
            let traced = try lines(trace)
            #expect(traced.count == 1)
            #expect(traced.first?.exitStatus == nil)
            #expect(traced.first?.arguments == ["volume", "list"])
        }
    }

    // MARK: ConfiguredRunnerProvider

    static func config() throws -> GShareConfig {
        GShareConfig(systemCNs: try labSystemCNs(), glusterCommand: "/opt/test/gluster", commandTimeout: .seconds(7))
    }

    @Test("GSHARE_GLUSTER_TRACE wraps the local runner in a tracer; unset or empty does not")
    func traceVariableChoosesTheRunner() throws {
        let local = GlusterServer(user: nil, host: "127.0.0.2", port: nil)
        let traced = ConfiguredRunnerProvider(config: try Self.config(), environment: ["GSHARE_GLUSTER_TRACE": "/tmp/x.jsonl"])
        let tracer = try #require(try traced.runner(for: local) as? TracingGlusterRunner)
        #expect(tracer.tracePath == "/tmp/x.jsonl" && tracer.server == "127.0.0.2")
        let wrapped = try #require(tracer.wrapped as? LocalGlusterRunner)
        #expect(wrapped.executable == "/opt/test/gluster" && wrapped.timeout == .seconds(7))
        for environment in [[:], ["GSHARE_GLUSTER_TRACE": ""]] {
            let plain = ConfiguredRunnerProvider(config: try Self.config(), environment: environment)
            #expect(plain.tracePath == nil)
            #expect(try plain.runner(for: local) is LocalGlusterRunner)
        }
    }

    @Test("a server with a user gets the SSH runner, which needs a key or a password before it connects")
    func remoteServerRunsOverSSH() async throws {
        let provider = ConfiguredRunnerProvider(config: try Self.config(), environment: [:])
        let server = GlusterServer(user: "root", host: "gluster1", port: nil)
        let runner = try #require(try provider.runner(for: server) as? SSHGlusterRunner)
        #expect(runner.server == server && runner.remoteCommand == ["/usr/sbin/gluster"])
        await #expect {
            _ = try await runner.run(["volume", "info", "all"])
        } throws: { error in
            (error as? ShareDriverError)?.code == .notConfigured && "\(error)".contains("glusterfs_path_to_private_key")
        }
    }
}

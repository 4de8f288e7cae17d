//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Synchronization
import TenantPKI
import Testing

@testable import GlusterDriver

/// One volume kept in memory, answering `volume info`, `volume set` and `volume get` with
/// the XML shapes of the recorded outputs; every call remembered.
private final class InMemoryVolume: GlusterCommandRunner, GlusterRunnerProvider {
    let name: String
    private let state: Mutex<(options: [String: String], calls: [[String]])>

    init(name: String, options: [String: String]) {
        self.name = name
        self.state = Mutex((options, []))
    }

    var calls: [[String]] { state.withLock { $0.calls } }
    var options: [String: String] { state.withLock { $0.options } }

    func runner(for server: GlusterServer) throws -> any GlusterCommandRunner { self }
    func committedOption(_ key: String, ofVolume volume: String) async -> String? { nil }

    func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let xml: String = state.withLock { state in
            state.calls.append(arguments)
            func escape(_ text: String) -> String {
                text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            }
            switch Array(arguments.prefix(2)) {
            case ["volume", "info"]:
                let options = state.options.sorted { $0.key < $1.key }
                    .map { "<option><name>\(escape($0.key))</name><value>\(escape($0.value))</value></option>" }.joined()
                return "<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><volInfo><volumes><volume><name>\(name)</name>"
                    + "<id>1</id><statusStr>Started</statusStr><bricks/><options>\(options)</options></volume></volumes></volInfo></cliOutput>"
            case ["volume", "set"]:
                var rest = arguments.dropFirst(3)
                while rest.count >= 2 {
                    state.options[rest.first!] = rest.dropFirst().first!
                    rest = rest.dropFirst(2)
                }
                return "<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><cliOp>volSet</cliOp></cliOutput>"
            case ["volume", "get"] where arguments.count > 3:
                let key = arguments[3]
                return "<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><volGetopts><count>1</count><Opt><Option>\(key)</Option>"
                    + "<Value>\(escape(state.options[key] ?? "*"))</Value></Opt></volGetopts></cliOutput>"
            default:
                return "<cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>not modelled: \(escape(arguments.joined(separator: " ")))</opErrstr></cliOutput>"
            }
        }
        return GlusterCommandOutput(exitStatus: 0, standardOutput: Data(xml.utf8), standardError: "")
    }
}

@Suite("ShareDriver.ensureSystemCNs: the doctor's safe fix for missing system CNs")
struct EnsureSystemCNsTests {
    static let server = GlusterServer(user: nil, host: "127.0.0.2", port: nil)

    private func driver(_ volume: InMemoryVolume, state: URL) throws -> ShareDriver {
        let config = GShareConfig(
            targets: [GlusterTarget(server: Self.server, volume: volume.name)], systemCNs: try labSystemCNs(), stateDirectory: state.path)
        return ShareDriver(config: config, runners: volume)
    }

    @Test("missing system CNs are added at the front, every other entry kept: one info, one set, one get to verify")
    func addsMissingSystemCNs() async throws {
        let state = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let volume = InMemoryVolume(name: "v", options: ["auth.ssl-allow": "gshare-manager,tenant-a", "server.ssl": "on", "client.ssl": "on"])
        let change = try await driver(volume, state: state).ensureSystemCNs(volume: "v")
        #expect(change.added == ["gluster-node-1"])
        #expect(change.after == "gluster-node-1,gshare-manager,tenant-a")
        #expect(volume.options["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
        #expect(volume.calls.map { Array($0.prefix(2)) } == [["volume", "info"], ["volume", "info"], ["volume", "set"], ["volume", "get"]])
    }

    @Test("a complete list is not written")
    func completeListIsNotWritten() async throws {
        let state = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let volume = InMemoryVolume(name: "v", options: ["auth.ssl-allow": "gluster-node-1,gshare-manager,tenant-a"])
        let change = try await driver(volume, state: state).ensureSystemCNs(volume: "v")
        #expect(!change.changed)
        #expect(!volume.calls.contains { $0.prefix(2) == ["volume", "set"] })
    }

    @Test("an open list (unset) is left alone: adding names would narrow it and could lock tenants out")
    func openListIsLeftAlone() async throws {
        let state = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let volume = InMemoryVolume(name: "v", options: [:])
        let change = try await driver(volume, state: state).ensureSystemCNs(volume: "v")
        #expect(!change.changed)
        #expect(volume.options["auth.ssl-allow"] == nil)
    }

    @Test("a volume outside the pool is refused with not-in-pool")
    func volumeOutsidePoolIsRefused() async throws {
        let state = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let volume = InMemoryVolume(name: "v", options: [:])
        await #expect { try await driver(volume, state: state).ensureSystemCNs(volume: "other") } throws: {
            ($0 as? ShareDriverError)?.code == .notInPool
        }
    }
}

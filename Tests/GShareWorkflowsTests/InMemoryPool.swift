//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import Synchronization

/// Pool volumes kept in memory, answering `volume info`, `volume set` and `volume get` in
/// the XML shapes of the recorded real outputs (fixtures/gluster), every call remembered.
/// For unit tests of the workflows only: the end-to-end tests talk to a real glusterd.
///
/// `failWrites` makes every `volume set` answer like a stopped glusterd
/// ("Connection failed…", no XML, exit 1), as fixtures/gluster/*.glusterd-down.txt shows.
final class InMemoryPool: GlusterCommandRunner, GlusterRunnerProvider {
    struct Volume {
        var name: String
        var id: String
        var status = "Started"
        var options: [String: String]
    }

    private struct State {
        var volumes: [Volume]
        var calls: [[String]] = []
        var failWrites = false
        /// Runs once, right after the next successful `volume set` (another host acting meanwhile).
        var afterNextSet: (@Sendable (inout [Volume]) -> Void)?
    }

    private let state: Mutex<State>

    init(_ volumes: [Volume]) {
        state = Mutex(State(volumes: volumes))
    }

    /// A started, TLS-ready pool volume listing exactly `systemCNs`.
    static func readyVolume(_ name: String, systemCNs: [String] = ["gluster-node-1", "gshare-manager"]) -> Volume {
        Volume(
            name: name, id: UUID().uuidString.lowercased(),
            options: [
                "server.ssl": "on", "client.ssl": "on", "server.dynamic-auth": "on", "auth.ssl-allow": systemCNs.joined(separator: ","),
            ])
    }

    var calls: [[String]] { state.withLock { $0.calls } }
    var writes: [[String]] { calls.filter { $0.starts(with: ["volume", "set"]) } }
    var failWrites: Bool {
        get { state.withLock { $0.failWrites } }
        set { state.withLock { $0.failWrites = newValue } }
    }

    func options(of volume: String) -> [String: String] {
        state.withLock { state in state.volumes.first { $0.name == volume }?.options ?? [:] }
    }

    /// `change` runs once, right after the next successful `volume set`: what another gshare
    /// host does between this one's write and its next read.
    func afterNextSet(_ change: @escaping @Sendable (inout [Volume]) -> Void) {
        state.withLock { $0.afterNextSet = change }
    }

    func setOption(_ key: String, _ value: String?, on volume: String) {
        state.withLock { state in
            guard let index = state.volumes.firstIndex(where: { $0.name == volume }) else { return }
            state.volumes[index].options[key] = value
        }
    }

    func runner(for server: GlusterServer) throws -> any GlusterCommandRunner { self }

    func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        state.withLock { state in
            state.calls.append(arguments)
            switch Array(arguments.prefix(2)) {
            case ["volume", "info"]:
                let wanted = arguments.count > 2 && arguments[2] != "all" ? [arguments[2]] : nil
                let volumes = state.volumes.filter { wanted?.contains($0.name) ?? true }
                if wanted != nil && volumes.isEmpty { return Self.failure(errno: 30806, "Volume \(arguments[2]) does not exist") }
                return Self.ok("<volInfo><volumes>\(volumes.map(Self.xml).joined())<count>\(volumes.count)</count></volumes></volInfo>")
            case ["volume", "set"]:
                if state.failWrites {
                    return GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Connection failed. Please check if gluster daemon is operational.\n".utf8), standardError: "")
                }
                guard arguments.count >= 5, let index = state.volumes.firstIndex(where: { $0.name == arguments[2] }) else {
                    return Self.failure(errno: 30806, "Volume does not exist")
                }
                var rest = arguments.dropFirst(3)
                while rest.count >= 2 {
                    state.volumes[index].options[rest.first!] = rest.dropFirst().first!
                    rest = rest.dropFirst(2)
                }
                if let change = state.afterNextSet {
                    state.afterNextSet = nil
                    change(&state.volumes)
                }
                return Self.ok("<cliOp>volSet</cliOp>")
            case ["volume", "get"]:
                guard arguments.count >= 4, let volume = state.volumes.first(where: { $0.name == arguments[2] }) else {
                    return Self.failure(errno: 30806, "Volume does not exist")
                }
                let key = arguments[3]
                return Self.ok(
                    "<volGetopts><count>1</count><Opt><Option>\(key)</Option><Value>\(Self.escape(volume.options[key] ?? "*"))</Value></Opt></volGetopts>")
            default:
                return Self.failure(errno: -1, "not simulated: \(arguments.joined(separator: " "))")
            }
        }
    }

    static func xml(_ volume: Volume) -> String {
        let options = volume.options.sorted { $0.key < $1.key }
            .map { "<option><name>\(escape($0.key))</name><value>\(escape($0.value))</value></option>" }.joined()
        return "<volume><name>\(volume.name)</name><id>\(volume.id)</id><statusStr>\(volume.status)</statusStr>"
            + "<bricks><brick>127.0.0.2:/bricks/\(volume.name)<name>127.0.0.2:/bricks/\(volume.name)</name></brick></bricks>"
            + "<options>\(options)</options></volume>"
    }

    static func ok(_ body: String) -> GlusterCommandOutput {
        GlusterCommandOutput(
            exitStatus: 0, standardOutput: Data("<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/>\(body)</cliOutput>".utf8),
            standardError: "")
    }

    static func failure(errno: Int, _ message: String) -> GlusterCommandOutput {
        GlusterCommandOutput(
            exitStatus: 1,
            standardOutput: Data("<cliOutput><opRet>-1</opRet><opErrno>\(errno)</opErrno><opErrstr>\(escape(message))</opErrstr></cliOutput>".utf8),
            standardError: "")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}

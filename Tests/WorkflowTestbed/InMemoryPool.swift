//===----------------------------------------------------------------------===//
// gshare — workflow test bed (not shipped)
//===----------------------------------------------------------------------===//

import Foundation
public import GlusterDriver
import Synchronization

/// Pool volumes kept in memory, answering `volume info`, `volume set`, `volume get`,
/// `volume quota` and `volume status … detail` in
/// the XML shapes of the recorded real outputs (fixtures/gluster), every call remembered.
/// For unit tests of the workflows only: the end-to-end tests talk to a real glusterd.
///
/// `failWrites` makes every `volume set` answer like a stopped glusterd
/// ("Connection failed…", no XML, exit 1), as fixtures/gluster/*.glusterd-down.txt shows.
public final class InMemoryPool: GlusterCommandRunner, GlusterRunnerProvider {
    public struct Volume: Sendable {
        public var name: String
        public var id: String
        public var status = "Started"
        public var options: [String: String]

        public init(name: String, id: String, status: String = "Started", options: [String: String]) {
            self.name = name
            self.id = id
            self.status = status
            self.options = options
        }
    }

    private struct State {
        var volumes: [Volume]
        var calls: [[String]] = []
        var failWrites = false
        /// Every `volume info` answers like a stopped glusterd.
        var failReads = false
        /// How long every `volume set` takes (a slow glusterd).
        var setDelay: Duration = .zero
        /// How long every `volume info` takes.
        var readDelay: Duration = .zero
        /// How long every `volume quota` takes.
        var quotaDelay: Duration = .zero
        /// Runs once, right after the next successful `volume set` (another host acting meanwhile).
        var afterNextSet: (@Sendable (inout [Volume]) -> Void)?
    }

    private let state: Mutex<State>

    public init(_ volumes: [Volume]) {
        state = Mutex(State(volumes: volumes))
    }

    /// A started, TLS-ready pool volume listing exactly `systemCNs`.
    public static func readyVolume(_ name: String, systemCNs: [String] = ["gluster-node-1", "gshare-manager"]) -> Volume {
        Volume(
            name: name, id: UUID().uuidString.lowercased(),
            options: [
                "server.ssl": "on", "client.ssl": "on", "server.dynamic-auth": "on", "auth.ssl-allow": systemCNs.joined(separator: ","),
            ])
    }

    public var calls: [[String]] { state.withLock { $0.calls } }
    public var writes: [[String]] { calls.filter { $0.starts(with: ["volume", "set"]) } }
    /// How long every `volume set` takes (a slow glusterd): default none.
    public var setDelay: Duration {
        get { state.withLock { $0.setDelay } }
        set { state.withLock { $0.setDelay = newValue } }
    }

    /// How long every `volume quota` takes (the end of a claim, after its marks): default none.
    public var quotaDelay: Duration {
        get { state.withLock { $0.quotaDelay } }
        set { state.withLock { $0.quotaDelay = newValue } }
    }

    /// Every `volume info` answers like a stopped glusterd ("Connection failed…", exit 1).
    public var failReads: Bool {
        get { state.withLock { $0.failReads } }
        set { state.withLock { $0.failReads = newValue } }
    }

    /// How long every `volume info` takes (a slow glusterd): default none.
    public var readDelay: Duration {
        get { state.withLock { $0.readDelay } }
        set { state.withLock { $0.readDelay = newValue } }
    }

    public var failWrites: Bool {
        get { state.withLock { $0.failWrites } }
        set { state.withLock { $0.failWrites = newValue } }
    }

    public func options(of volume: String) -> [String: String] {
        state.withLock { state in state.volumes.first { $0.name == volume }?.options ?? [:] }
    }

    /// `change` runs once, right after the next successful `volume set`: what another gshare
    /// host does between this one's write and its next read.
    public func afterNextSet(_ change: @escaping @Sendable (inout [Volume]) -> Void) {
        state.withLock { $0.afterNextSet = change }
    }

    public func setOption(_ key: String, _ value: String?, on volume: String) {
        state.withLock { state in
            guard let index = state.volumes.firstIndex(where: { $0.name == volume }) else { return }
            state.volumes[index].options[key] = value
        }
    }

    public func runner(for server: GlusterServer) throws -> any GlusterCommandRunner { self }

    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        if arguments.starts(with: ["volume", "set"]), case let delay = setDelay, delay > .zero { try await Task.sleep(for: delay) }
        if arguments.starts(with: ["volume", "info"]), case let delay = readDelay, delay > .zero { try await Task.sleep(for: delay) }
        if arguments.starts(with: ["volume", "quota"]), case let delay = quotaDelay, delay > .zero { try await Task.sleep(for: delay) }
        return state.withLock { state in
            state.calls.append(arguments)
            switch Array(arguments.prefix(2)) {
            case ["volume", "info"] where state.failReads:
                return GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Connection failed. Please check if gluster daemon is operational.\n".utf8), standardError: "")
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
            case ["volume", "quota"]:
                // enable / disable / limit-usage / list, as fixtures/gluster-quota shows them
                guard arguments.count >= 4, let index = state.volumes.firstIndex(where: { $0.name == arguments[2] }) else {
                    return Self.failure(errno: 30806, "Volume does not exist")
                }
                switch arguments[3] {
                case "enable": state.volumes[index].options["features.quota"] = "on"
                case "disable":
                    state.volumes[index].options["features.quota"] = "off"
                    state.volumes[index].options[Self.quotaLimitKey] = nil
                case "limit-usage" where arguments.count >= 6: state.volumes[index].options[Self.quotaLimitKey] = arguments[5]
                case "list":
                    guard let limit = state.volumes[index].options[Self.quotaLimitKey] else { return Self.ok("<volQuota/>") }
                    return Self.ok(
                        "<volQuota><limit><path>/</path><hard_limit>\(limit)</hard_limit><soft_limit_percent>80%</soft_limit_percent>"
                            + "<soft_limit_value>0</soft_limit_value><used_space>0</used_space><avail_space>\(limit)</avail_space>"
                            + "<sl_exceeded>No</sl_exceeded><hl_exceeded>No</hl_exceeded></limit></volQuota>")
                default: return Self.failure(errno: -1, "not simulated: \(arguments.joined(separator: " "))")
                }
                return Self.ok("<cliOp>volQuota</cliOp>")
            case ["volume", "status"] where arguments.count >= 4 && arguments[3] == "detail":
                guard let volume = state.volumes.first(where: { $0.name == arguments[2] }) else { return Self.failure(errno: 30806, "Volume does not exist") }
                return Self.ok(
                    "<volStatus><volumes><volume><volName>\(volume.name)</volName><nodeCount>1</nodeCount><node><hostname>127.0.0.2</hostname>"
                        + "<path>/bricks/\(volume.name)</path><peerid>a0c2728e-a3b6-40d4-a6ac-c3df1673240f</peerid><status>1</status><port>49152</port>"
                        + "<pid>1</pid><sizeTotal>\(Self.brickBytes)</sizeTotal><sizeFree>\(Self.brickBytes)</sizeFree></node></volume></volumes></volStatus>")
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

    /// Where the simulated quota keeps its hard limit (bytes).
    public static let quotaLimitKey = "test.quota-hard-limit"
    /// What each simulated volume's brick holds: 10 GiB.
    public static let brickBytes: Int64 = 10 << 30

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

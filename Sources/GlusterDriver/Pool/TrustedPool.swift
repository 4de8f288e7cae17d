//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation

/// What one node says about its trusted pool (`gluster pool list`): its own glusterd's UUID
/// (the entry called `localhost`) and every other peer, connected or not.
public struct TrustedPoolMembers: Sendable, Equatable, Codable {
    public struct Peer: Sendable, Equatable, Codable {
        public let uuid: String
        /// The name the peer was probed with (what the bricks of its volumes carry).
        public let hostname: String
        public let connected: Bool
    }

    /// The UUID of the glusterd that answered.
    public let selfUUID: String
    /// Every other node of the pool.
    public let peers: [Peer]

    public init(selfUUID: String, peers: [Peer]) {
        self.selfUUID = selfUUID
        self.peers = peers
    }

    /// Every node's UUID, this one's included.
    public var memberUUIDs: Set<String> { Set(peers.map(\.uuid)).union([selfUUID]) }

    /// Reads `gluster --xml pool list`.
    ///
    /// - Throws: ``GlusterDriverError`` (`glusterd-unreachable`, `command-failed`,
    ///   `malformed-output`) when the output is not a pool list with exactly one `localhost`.
    public static func parse(_ output: GlusterCommandOutput, command: [String]) throws -> TrustedPoolMembers {
        let document = try GlusterCLIDocument(output, command: command)
        let entries = document.root.elements(forName: "peerStatus").first?.elements(forName: "peer") ?? []
        var selfUUID: String?
        var peers: [Peer] = []
        for entry in entries {
            guard let uuid = entry.text(of: "uuid"), !uuid.isEmpty, let hostname = entry.text(of: "hostname"), !hostname.isEmpty else {
                throw GlusterDriverError(.malformedOutput, command: command, message: "a <peer> of the pool list has no <uuid> or <hostname>")
            }
            if hostname == "localhost" {
                guard selfUUID == nil else {
                    throw GlusterDriverError(.malformedOutput, command: command, message: "the pool list names two peers 'localhost'")
                }
                selfUUID = uuid
            } else {
                peers.append(Peer(uuid: uuid, hostname: hostname, connected: entry.text(of: "connected") == "1"))
            }
        }
        guard let selfUUID else {
            throw GlusterDriverError(
                .malformedOutput, command: command, message: "the pool list has no 'localhost' entry, so gshare cannot tell which node answered")
        }
        return TrustedPoolMembers(selfUUID: selfUUID, peers: peers)
    }
}

extension GlusterCLI {
    /// `pool list`: the answering node and its peers.
    public func poolMembers() async throws -> TrustedPoolMembers {
        let arguments = ["pool", "list"]
        return try TrustedPoolMembers.parse(try await runner.run(arguments), command: arguments)
    }
}

/// Which configured servers are nodes of one trusted pool, as gshare last learned it from
/// the nodes (`pool list`), kept in `<state_dir>/clusters.json` so that a pool-wide read asks
/// one node of each cluster, not every node.
///
/// The map only saves calls, it is never trusted for correctness: volumes are told apart by
/// their volume ID whatever the map says, and an entry older than ``maximumAge`` is learned
/// again.
public struct ClusterMap: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        /// The UUID of the server's glusterd.
        public var uuid: String
        /// Every node of its pool (its own UUID included).
        public var members: [String]
        public var checked: Date
    }

    /// By ``GlusterServer/description``.
    public var servers: [String: Entry] = [:]

    /// After this long the map asks the node again.
    public static let maximumAge: TimeInterval = 600

    public init() {}

    static func path(stateDirectory: String) -> String { "\(stateDirectory)/clusters.json" }

    /// The saved map; empty when there is none or it cannot be read (it is only a cache).
    public static func load(stateDirectory: String) -> ClusterMap {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory: stateDirectory)),
            let map = try? JSONDecoder.clusterMap.decode(ClusterMap.self, from: data)
        else { return ClusterMap() }
        return map
    }

    /// Writes the map (atomically; a failure is ignored: it is only a cache).
    public func save(stateDirectory: String) {
        guard let data = try? JSONEncoder.clusterMap.encode(self) else { return }
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: Self.path(stateDirectory: stateDirectory)), options: .atomic)
    }

    /// A current entry for `server`, or nil when there is none or it is too old.
    public func entry(for server: GlusterServer, now: Date = Date()) -> Entry? {
        guard let entry = servers[server.description], now.timeIntervalSince(entry.checked) < Self.maximumAge,
            entry.checked <= now.addingTimeInterval(60)
        else { return nil }
        return entry
    }

    /// Records what `answering` said, and places every configured server whose host is a
    /// peer's host name (or one of its addresses) in the same pool.
    public mutating func learn(_ members: TrustedPoolMembers, from answering: GlusterServer, configured: [GlusterServer], now: Date = Date()) {
        let all = members.memberUUIDs.sorted()
        servers[answering.description] = Entry(uuid: members.selfUUID, members: all, checked: now)
        for server in configured where server != answering {
            if let peer = members.peers.first(where: { HostAddresses.same($0.hostname, server.host) }) {
                servers[server.description] = Entry(uuid: peer.uuid, members: all, checked: now)
            } else if HostAddresses.same(answering.host, server.host) {
                // another spelling (user, port) of the node that answered
                servers[server.description] = Entry(uuid: members.selfUUID, members: all, checked: now)
            }
        }
    }

    /// The configured servers in clusters: servers whose current entries say they are in one
    /// pool form one group, in configuration order; a server gshare knows nothing about (yet)
    /// is a group of its own.
    public func groups(of configured: [GlusterServer], now: Date = Date()) -> [[GlusterServer]] {
        var groups: [[GlusterServer]] = []
        var groupMembers: [Set<String>?] = []
        for server in configured {
            guard let entry = entry(for: server, now: now) else {
                groups.append([server])
                groupMembers.append(nil)
                continue
            }
            if let index = groupMembers.firstIndex(where: { $0?.contains(entry.uuid) == true }) {
                groups[index].append(server)
            } else {
                groups.append([server])
                groupMembers.append(Set(entry.members))
            }
        }
        return groups
    }

    /// The configured servers of `server`'s cluster: `server` first, then the others in
    /// configuration order (just `server` when gshare knows nothing about its pool).
    public func cluster(of server: GlusterServer, configured: [GlusterServer], now: Date = Date()) -> [GlusterServer] {
        guard let group = groups(of: configured, now: now).first(where: { $0.contains(server) }) else { return [server] }
        return [server] + group.filter { $0 != server }
    }
}

extension JSONEncoder {
    fileprivate static var clusterMap: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var clusterMap: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

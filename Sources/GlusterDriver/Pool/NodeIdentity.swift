//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI

/// The TLS identity a GlusterFS node presents, learned from the node itself: the common
/// name of the certificate its glusterd shows in a TLS handshake (management TLS, port
/// 24007), or without management TLS one of its TLS bricks (the same certificate). That name is what the node's self-heal daemon, heal info and quota present to
/// the bricks, so it must be in every volume's `auth.ssl-allow` (a system CN).
public struct NodeIdentity: Sendable, Equatable, Codable {
    /// The node's host, as its bricks name it.
    public let host: String
    /// The name GlusterFS sees for the node's certificate; nil when it could not be learned.
    public let commonName: String?
    /// Why the name could not be learned.
    public let problem: String?

    public init(host: String, commonName: String?, problem: String?) {
        self.host = host
        self.commonName = commonName
        self.problem = problem
    }
}

extension ShareDriver {
    /// The identity of every node holding a brick of a pool volume, each asked once and
    /// concurrently (a TLS handshake with its glusterd, as gshare's own identity when it has
    /// one). Without management TLS glusterd speaks no TLS: a TLS brick of the node is asked
    /// instead (its port from one `volume status all` per pool); a node without one running
    /// is returned without a name, saying why.
    /// `volume status all`, asked up to three times: glusterd refuses it while another
    /// transaction runs ("Another transaction is in progress"), which a busy pool often has.
    func brickStatus(_ cli: GlusterCLI) async -> BrickStatus? {
        for attempt in 1...3 {
            if let output = try? await cli.runner.run(["volume", "status", "all"]), let status = try? BrickStatus.parse(output) { return status }
            if attempt < 3 { try? await Task.sleep(for: .milliseconds(300 * attempt)) }
        }
        return nil
    }

    /// One `volume status all` per pool, on the node that answered the inventory's read, all
    /// pools at once (asked 3 times each): by that node (`user@host`), a pool whose status
    /// could not be read left out. Read once for the doctor, which needs it twice (the brick
    /// ports for ``nodeIdentities(of:brickStatus:timeout:)``, the bricks online for
    /// ``clusterHealth(of:brickStatus:managerCN:)``).
    public func brickStatuses(of inventory: PoolInventory) async -> [String: BrickStatus] {
        await withTaskGroup(of: (String, BrickStatus?).self) { group in
            for read in inventory.clusters {
                group.addTask {
                    guard let cli = try? GlusterCLI(runner: self.nodeRunner(read.answered)) else { return (read.answered.description, nil) }
                    return (read.answered.description, await self.brickStatus(cli))
                }
            }
            var found: [String: BrickStatus] = [:]
            for await (node, status) in group { found[node] = status }
            return found
        }
    }

    /// The identity each node of the pool presents. `brickStatus`: the pools' brick status
    /// read already (``brickStatuses(of:)``); nil: read here when needed.
    public func nodeIdentities(of inventory: PoolInventory, brickStatus: [String: BrickStatus]? = nil, timeout: Duration = .seconds(5)) async
        -> [NodeIdentity]
    {
        var hosts: [String] = []
        for volume in inventory.volumes {
            for node in volume.nodes where !hosts.contains(where: { $0.lowercased() == node.lowercased() }) { hosts.append(node) }
        }
        guard !hosts.isEmpty else { return [] }
        // Where to shake hands: glusterd (24007) with management TLS; else a TLS brick of the
        // node (its port from `volume status all` on the node that answered the pool read).
        var endpoints: [String: Int] = [:]
        var noBrick = "management TLS is off and no TLS brick of it is running"
        if config.managementTLS {
            for host in hosts { endpoints[host] = 24007 }
        } else {
            let statuses = brickStatus != nil ? brickStatus ?? [:] : await brickStatuses(of: inventory)
            for read in inventory.clusters {
                guard let status = statuses[read.answered.description] else {
                    noBrick = "management TLS is off and the brick ports could not be read (gluster volume status all)"
                    continue
                }
                for info in read.volumes where info.option(TLSOption.serverSSL).flatMap(GlusterBoolean.parse) == true {
                    for brick in info.bricks {
                        guard let port = status.ports[brick], let separator = brick.range(of: ":/") else { continue }
                        let host = String(brick[..<separator.lowerBound])
                        if let known = hosts.first(where: { HostAddresses.same($0, host) }), endpoints[known] == nil { endpoints[known] = port }
                    }
                }
            }
        }
        let identity = config.manager.map { (certificate: $0.certificate, key: $0.privateKey) }
        let reason = noBrick
        return await withTaskGroup(of: (Int, NodeIdentity).self) { group in
            for (position, host) in hosts.enumerated() {
                let port = endpoints[host]
                group.addTask {
                    guard let port else {
                        return (position, NodeIdentity(host: host, commonName: nil, problem: reason))
                    }
                    do {
                        let chain = try TLSPeerProbe.certificateChain(host: host, port: port, identity: identity, timeout: timeout)
                        return (position, NodeIdentity(host: host, commonName: String(decoding: chain[0].glusterFSName.bytes, as: UTF8.self), problem: nil))
                    } catch {
                        return (position, NodeIdentity(host: host, commonName: nil, problem: "\(error)"))
                    }
                }
            }
            var found: [(Int, NodeIdentity)] = []
            for await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI

/// The TLS identity a GlusterFS node presents, learned from the node itself: the common
/// name of the certificate its glusterd shows in a TLS handshake (management TLS, port
/// 24007). That name is what the node's self-heal daemon, heal info and quota present to
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
    /// one). Empty when the servers do not use management TLS: glusterd then speaks no TLS
    /// (a brick's port would tell, from `volume status`; not asked yet).
    public func nodeIdentities(of inventory: PoolInventory, timeout: Duration = .seconds(5)) async -> [NodeIdentity] {
        guard config.managementTLS else { return [] }
        var hosts: [String] = []
        for volume in inventory.volumes {
            for node in volume.nodes where !hosts.contains(where: { $0.lowercased() == node.lowercased() }) { hosts.append(node) }
        }
        let identity = config.manager.map { (certificate: $0.certificate, key: $0.privateKey) }
        return await withTaskGroup(of: (Int, NodeIdentity).self) { group in
            for (position, host) in hosts.enumerated() {
                group.addTask {
                    do {
                        let chain = try TLSPeerProbe.certificateChain(host: host, port: 24007, identity: identity, timeout: timeout)
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

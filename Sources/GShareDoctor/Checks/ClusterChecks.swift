//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import GlusterDriver

extension Doctor {
    /// Check 10: each trusted pool as gshare found it.
    ///
    /// - `peer-disconnected` (warning): a node its peers cannot reach; changes still succeed
    ///   and it applies them when it rejoins, but its bricks are down meanwhile;
    /// - `bricks-down` (warning) / `volume-not-serving` (critical): a pool volume with bricks
    ///   down that still keeps, or has lost, the quorum of a replica set;
    /// - `cluster-lock-local-only` (warning): no lock volume, so gshare on two hosts at once
    ///   can lose an update; `lock-volume-unusable` (critical): the lock volume exists but
    ///   is stopped or leaves gshare out, so every change fails; `lock-volume-open`
    ///   (warning): it does not enforce TLS, so anyone who reaches it can hold the locks;
    /// - `cluster-health-unknown` (warning): what could not be read.
    static func clusterFindings(_ input: DoctorInput) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        for cluster in input.clusters {
            let pool = cluster.servers.count > 1 ? "the pool of \(cluster.servers.joined(separator: ", "))" : "the pool of \(cluster.answered)"
            let quorumLost = cluster.nodeCount.map { cluster.disconnectedPeers.count * 2 >= $0 } ?? false
            for peer in cluster.disconnectedPeers {
                let consequence =
                    quorumLost
                    ? "with \(cluster.disconnectedPeers.count) of \(cluster.nodeCount ?? 0) nodes away the pool has lost its quorum: changes are refused until enough nodes are back"
                    : "changes still succeed and it applies them when it rejoins; its bricks are down meanwhile"
                findings.append(
                    DoctorFinding(
                        .peerDisconnected, quorumLost ? .critical : .warning,
                        "node \(peer) of \(pool) is disconnected (seen from \(cluster.answered)): \(consequence)",
                        fix: "start its glusterd (systemctl start glusterd on \(peer)) or bring the node back; gluster peer status shows it"))
            }
            for volume in cluster.volumes {
                let down = volume.bricksDown.joined(separator: ", ")
                if volume.serving {
                    findings.append(
                        DoctorFinding(
                            .bricksDown, .warning, volume: volume.volume,
                            "\(volume.volume): \(volume.bricksDown.count) of \(volume.bricks) bricks down (\(down)); it still serves its clients, with fewer copies",
                            fix: "bring the brick's node back (gluster volume start \(volume.volume) force restarts a brick that stopped); self-heal then catches up"))
                } else {
                    findings.append(
                        DoctorFinding(
                            .volumeNotServing, .critical, volume: volume.volume,
                            "\(volume.volume): \(volume.bricksDown.count) of \(volume.bricks) bricks down (\(down)): a replica set lost its quorum, so its clients fail",
                            fix: "bring the nodes of the bricks back (their glusterd starts their bricks), or gluster volume start \(volume.volume) force"))
                }
            }
            let lock = cluster.lockVolume
            if !lock.present {
                findings.append(
                    DoctorFinding(
                        .clusterLockLocalOnly, .warning,
                        "\(pool) has no volume \(lock.name): gshare locks changes on this host only, so they are safe from one host only (gshare on two hosts at once can lose an update or claim a volume twice)",
                        fix: "create it (gluster volume set all cluster.enable-shared-storage enable), or name another small replicated volume in glusterfs_lock_volume; until then run gshare from one host"))
            } else if !lock.started || lock.admitsManager == false {
                let why = !lock.started ? "it is not started" : "its auth.ssl-allow leaves gshare's CN out"
                findings.append(
                    DoctorFinding(
                        .lockVolumeUnusable, .critical, volume: lock.name,
                        "\(pool) has the lock volume \(lock.name), but \(why): every change fails to take the cluster lock",
                        fix: !lock.started
                            ? "gluster volume start \(lock.name)"
                            : "add gshare's CN (manager_cert) to auth.ssl-allow of \(lock.name) (gluster volume set \(lock.name) auth.ssl-allow …)"))
            } else if !lock.tls {
                findings.append(
                    DoctorFinding(
                        .lockVolumeOpen, .warning, volume: lock.name,
                        "the lock volume \(lock.name) of \(pool) does not enforce TLS (server.ssl off): anyone who reaches it can hold gshare's locks and stall every change, or remove a lock file and let two changes in at once",
                        fix: "gluster volume set \(lock.name) server.ssl on client.ssl on auth.ssl-allow <the system CNs>, then restart it"))
            }
            for problem in cluster.problems {
                findings.append(
                    DoctorFinding(
                        .clusterHealthUnknown, .warning, "could not read \(problem)",
                        fix: "check that \(cluster.answered) answers (gshare doctor again)"))
            }
        }
        return findings
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import GlusterFSAPI
import Logging

/// What a change holds while it reads, decides and writes: this host's `flock`s (the fast
/// path: gshare processes on one host queue here, without asking GlusterFS) and, where the
/// volume's trusted pool has a lock volume (`glusterfs_lock_volume`), the same keys locked
/// cluster-wide in it (``GlusterLockHold``), so that every manager host is excluded too.
///
/// Keys: `volume-<volume ID>` for a change of one volume (access, delete, prepare, doctor
/// fixes), `claim` for claiming a free volume and a share name (`share create`, which also
/// excludes prepare and the fixes of free volumes by taking `claim` with the volume's key).
///
/// Sendable by construction: it holds immutable references to Sendable locks.
public final class ChangeLock: Sendable {
    let local: [VolumeLock]
    let cluster: [GlusterLockHold]

    init(local: [VolumeLock], cluster: [GlusterLockHold]) {
        self.local = local
        self.cluster = cluster
    }

    /// True when the change is excluded on every host (a lock volume was used).
    public var isClusterWide: Bool { !cluster.isEmpty }

    /// Throws when a cluster lock was lost (its worker ended): nothing may be written then.
    func checkHeld(volume: String) throws {
        if let lost = cluster.first(where: { !$0.isHeld }) {
            throw ShareDriverError(
                .lockFailed, volume: volume,
                message: "gshare lost its cluster lock (\(lost.lostReason ?? "the lock worker ended")) before writing; nothing was written",
                hint: "run the same command again")
        }
    }

    /// Lets go of the cluster locks (waiting until the bricks have dropped them) and then
    /// of the local ones.
    func release() async {
        for hold in cluster.reversed() { await hold.release() }
        withExtendedLifetime(local) {}
    }
}

/// Which configured server's trusted pool has a lock volume, and its volume ID:
/// `<state_dir>/lock-volumes.json`, refreshed after ``ClusterMap/maximumAge``.
struct LockVolumeMap: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        /// The lock volume's name when it was looked up.
        var volume: String
        /// Its ID, or nil when the pool has no volume of that name.
        var volumeID: String?
        var checked: Date
    }

    var servers: [String: Entry] = [:]

    static func path(stateDirectory: String) -> String { "\(stateDirectory)/lock-volumes.json" }

    static func load(stateDirectory: String) -> LockVolumeMap {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory: stateDirectory)),
            let map = try? decoder.decode(LockVolumeMap.self, from: data)
        else { return LockVolumeMap() }
        return map
    }

    func save(stateDirectory: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(self) else { return }
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: Self.path(stateDirectory: stateDirectory)), options: .atomic)
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// A fresh entry for one of `servers` (a cluster's configured servers) about `volume`.
    func entry(for servers: [GlusterServer], volume: String, now: Date = Date()) -> Entry? {
        for server in servers {
            if let entry = self.servers[server.description], entry.volume == volume,
                now.timeIntervalSince(entry.checked) < ClusterMap.maximumAge, entry.checked <= now.addingTimeInterval(60)
            {
                return entry
            }
        }
        return nil
    }

    mutating func record(_ servers: [GlusterServer], volume: String, volumeID: String?, now: Date = Date()) {
        for server in servers { self.servers[server.description] = Entry(volume: volume, volumeID: volumeID, checked: now) }
    }
}

/// Where a trusted pool's lock volume is, when it has one.
struct LockVolume: Sendable, Equatable {
    let name: String
    let volumeID: String
    /// The configured servers of its pool: the first is the volfile server, the others backups.
    let servers: [GlusterServer]
}

extension ShareDriver {
    /// Takes `keys` on this host, then on the lock volume of every cluster in `clusters`
    /// that has one (each lock volume once, in the order of their IDs, so two hosts never
    /// wait for each other in a circle).
    ///
    /// - Throws: ``ShareDriverError`` `lock-timeout` (naming who holds the lock) or
    ///   `lock-failed` (the lock volume exists but cannot be used; nothing falls back to a
    ///   weaker lock then).
    func changeLock(keys: [String], volume: String, clusters: [[GlusterServer]]) async throws -> ChangeLock {
        let started = ContinuousClock.now
        var local: [VolumeLock] = []
        for key in keys {
            local.append(try await VolumeLock.acquire(stateDirectory: config.stateDirectory, key: key, volume: volume, timeout: lockTimeout, logger: logger))
        }
        let lockVolumes = try await lockVolumes(of: clusters)
        guard !lockVolumes.isEmpty else { return ChangeLock(local: local, cluster: []) }
        let client = try isolatedClient()
        var holds: [GlusterLockHold] = []
        do {
            for lockVolume in lockVolumes {
                let remaining = max(.zero, lockTimeout - (ContinuousClock.now - started))
                holds.append(try await hold(keys: keys, on: lockVolume, client: client, wait: remaining, subject: volume))
            }
        } catch {
            for hold in holds.reversed() { await hold.release() }
            throw error
        }
        return ChangeLock(local: local, cluster: holds)
    }

    /// The client that runs gfapi workers (the lock holders).
    func isolatedClient() throws -> IsolatedGlusterClient {
        do {
            return try IsolatedGlusterClient()
        } catch let error as GlusterFSError {
            throw ShareDriverError(
                .lockFailed, message: "cannot take the cluster lock: \(error.message)",
                hint: "install gshare-gfapi-worker beside gshare (scripts/install does)")
        }
    }

    func hold(keys: [String], on lockVolume: LockVolume, client: IsolatedGlusterClient, wait: Duration, subject: String) async throws
        -> GlusterLockHold
    {
        guard let manager = config.manager else {
            throw ShareDriverError(
                .lockFailed, volume: subject,
                message: "the pool of \(lockVolume.servers[0]) has a lock volume (\(lockVolume.name)), and gshare.toml names no identity to use it with",
                hint: "set manager_cert, manager_key and manager_ca in gshare.toml (a certificate whose CN is in system_cns and in \(lockVolume.name)'s auth.ssl-allow)")
        }
        let identity = GlusterTLSIdentity(
            certificateChain: manager.certificate, privateKey: manager.privateKey, certificateAuthorities: manager.certificateAuthorities)
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: lockVolume.servers[0].host, volume: lockVolume.name),
            identity: identity, transport: .followVolume,
            backupVolfileServers: lockVolume.servers.dropFirst().map(\.host),
            managementIdentity: config.managementTLS ? identity : nil)
        let started = ContinuousClock.now
        let holdLimit = wipeDeadline + .seconds(600)
        do {
            let hold: GlusterLockHold
            if let ready = await runners.readyLockWorkers?.take(connection, client: client, waitLimit: lockTimeout, holdLimit: holdLimit, logger: logger),
                let taken = try await takeReady(ready, keys: keys, wait: wait)
            {
                hold = taken
            } else {
                hold = try await client.holdLocks(connection, keys: keys, holder: lockHolder, wait: wait, holdLimit: holdLimit)
            }
            let level: Logger.Level = hold.waited > .seconds(1) ? .info : .debug
            logger.log(
                level: level, "cluster lock acquired",
                metadata: [
                    "keys": "\(keys.joined(separator: ","))", "lock_volume": "\(lockVolume.name)",
                    "waited_ms": "\(hold.waited.wholeMilliseconds)", "elapsed_ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
                ])
            return hold
        } catch let error as GlusterFSError where error.code == .lockBusy {
            throw ShareDriverError(
                .lockTimeout, volume: subject,
                message: "another gshare has held the cluster lock of \(subject) for more than \(lockTimeout): \(error.message)",
                hint: "wait for it to finish and retry; a holder whose host vanished is released by GlusterFS after network.ping-timeout (42 s by default)")
        } catch let error as GlusterFSError {
            if let down = await nodesDownWithoutQuorum(lockVolume.servers) {
                throw ShareDriverError(
                    .quorumLost, volume: subject,
                    message: "\(down.count) of the pool's nodes are down or disconnected (\(down.joined(separator: ", "))): the pool lost its quorum, "
                        + "so neither the cluster lock (\(lockVolume.name)) nor a change can go through; nothing was changed",
                    hint: "bring the nodes back (gshare status shows the peers), then run the same command again")
            }
            throw ShareDriverError(
                .lockFailed, volume: subject,
                message: "cannot take the cluster lock in \(lockVolume.name) (the lock volume of \(lockVolume.servers[0])'s pool): \(error)",
                hint: "gshare doctor checks the lock volume; it must be started, reachable, and admit gshare's identity (auth.ssl-allow)")
        }
    }

    /// The locks taken with a worker that was already connected; nil when it could not take
    /// them for a reason of its own (gone, past its idle limit, its connection lost): the
    /// caller then starts a worker as always. A busy lock is the answer, not such a reason.
    func takeReady(_ ready: GlusterArmedLock, keys: [String], wait: Duration) async throws -> GlusterLockHold? {
        do {
            return try await ready.take(keys: keys, holder: lockHolder, wait: wait)
        } catch let error as GlusterFSError where [.lockBusy, .timedOut, .cancelled].contains(error.code) {
            throw error
        } catch {
            logger.debug("the ready lock worker could not lock: \(error); starting another")
            return nil
        }
    }

    /// The peers that are down when they are too many for a quorum (half of the pool or
    /// more), as the first node of `servers` that answers sees them; nil otherwise.
    func nodesDownWithoutQuorum(_ servers: [GlusterServer]) async -> [String]? {
        guard let cli = try? cli(servers[0]), let members = try? await cli.poolMembers() else { return nil }
        let down = members.peers.filter { !$0.connected }.map(\.hostname)
        return !down.isEmpty && down.count * 2 >= members.peers.count + 1 ? down : nil
    }

    /// The lock volumes of `clusters` (each once, ordered by volume ID): from
    /// `<state_dir>/lock-volumes.json` when fresh, else one `volume info <lock volume>` per
    /// cluster (an unknown volume means the pool has none).
    func lockVolumes(of clusters: [[GlusterServer]]) async throws -> [LockVolume] {
        var map = LockVolumeMap.load(stateDirectory: config.stateDirectory)
        var found: [String: LockVolume] = [:]
        var changed = false
        for servers in clusters where !servers.isEmpty {
            let id: String?
            if let entry = map.entry(for: servers, volume: config.lockVolume) {
                id = entry.volumeID
            } else {
                id = try await lookUpLockVolume(servers)
                map.record(servers, volume: config.lockVolume, volumeID: id)
                changed = true
            }
            if let id, found[id] == nil { found[id] = LockVolume(name: config.lockVolume, volumeID: id, servers: servers) }
        }
        if changed { map.save(stateDirectory: config.stateDirectory) }
        return found.values.sorted { $0.volumeID < $1.volumeID }
    }

    /// The lock volume's ID in the pool of `servers`, or nil when it has none.
    func lookUpLockVolume(_ servers: [GlusterServer]) async throws -> String? {
        let cli = try cli(servers[0])
        do {
            return try await cli.volumeInfo(of: config.lockVolume).id
        } catch let error as GlusterDriverError where error.code == .unknownVolume {
            return nil
        }
    }

    /// Records what a pool-wide read saw about the lock volume (saves a lookup later).
    func recordLockVolumes(_ reads: [ClusterRead]) {
        var map = LockVolumeMap.load(stateDirectory: config.stateDirectory)
        for read in reads {
            map.record(read.servers, volume: config.lockVolume, volumeID: read.volumes.first { $0.name == config.lockVolume }?.id)
        }
        map.save(stateDirectory: config.stateDirectory)
    }

    /// Who takes a lock, for whoever waits for it: `user@host pid N: gshare …`.
    public static func defaultLockHolder() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? String(getuid())
        let command = CommandLine.arguments.enumerated().map { index, argument in
            index == 0 ? (argument as NSString).lastPathComponent : argument
        }.joined(separator: " ")
        return "\(user)@\(ProcessInfo.processInfo.hostName) pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date())): \(command)"
    }
}

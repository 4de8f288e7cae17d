//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
public import Logging
import TenantPKI

/// Shares and access on the configured pool. State lives on the volumes (`user.gshare.*`
/// marks and `auth.ssl-allow`); every read-modify-write of a volume happens under its
/// ``VolumeLock`` and is verified after writing.
///
/// Gluster calls per operation: `pool list` one `volume info all` per server; an access
/// change one `volume info` + one `volume set`, verified in glusterd's committed store of the
/// node that took the set when gshare may read it (locally, or over SSH, as root; else one
/// more call, `volume get auth.ssl-allow`), plus on a cluster a `pool list` beside the set; a
/// no-op allow/deny one `volume info`. (Plus one `volume info all` when the local share
/// index does not know the share yet.)
public struct ShareDriver: Sendable {
    public let config: GShareConfig
    public let runners: any GlusterRunnerProvider
    /// How long to wait for another gshare process holding a volume's lock
    /// (`lock_timeout_seconds`).
    public var lockTimeout: Duration
    /// Who this process is, written into the cluster locks it takes (named to whoever
    /// waits for them in vain). One line, no secrets.
    public var lockHolder: String = ShareDriver.defaultLockHolder()
    /// How long a wipe may take before it is stopped (the volume then stays needs-wipe).
    public var wipeDeadline: Duration = .seconds(3600)
    /// Where the driver logs: every gluster call with its duration (debug), lock waits,
    /// SSH connects. Secrets are never logged.
    public let logger: Logger

    public init(config: GShareConfig, runners: (any GlusterRunnerProvider)? = nil, logger: Logger = ShareDriver.noLogging) {
        self.config = config
        self.runners = runners ?? ConfiguredRunnerProvider(config: config, logger: logger)
        self.logger = logger
        self.lockTimeout = config.lockTimeout
    }

    /// A logger that drops everything: the default when the caller gives none.
    public static let noLogging = Logger(label: "gshare.driver", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The CLI of `server`'s cluster: each command runs on `server`, or, when it cannot be
    /// reached, on the next configured node of its trusted pool (``FailoverGlusterRunner``).
    func cli(_ server: GlusterServer) throws -> GlusterCLI {
        let cluster = ClusterMap.load(stateDirectory: config.stateDirectory).cluster(of: server, configured: config.allServers)
        let nodes = try cluster.map { FailoverGlusterRunner.Node(server: $0, runner: try nodeRunner($0)) }
        guard nodes.count > 1 else { return GlusterCLI(runner: nodes[0].runner) }
        return GlusterCLI(runner: FailoverGlusterRunner(nodes: nodes, logger: logger))
    }

    /// The runner of one node, logging each call when the level is debug.
    func nodeRunner(_ server: GlusterServer) throws -> any GlusterCommandRunner {
        let runner = try runners.runner(for: server)
        guard logger.logLevel <= .debug else { return runner }
        return LoggingGlusterRunner(wrapping: runner, server: server.description, logger: logger)
    }

    /// Waits for the lock of the volume with this ID (its identity) on this host and across
    /// its pool (``ChangeLock``), logging how long it waited. With `claim`, also the claim
    /// lock: a change of a free volume must not race a `share create` claiming it.
    func lock(volumeID: String, volume: String, server: GlusterServer, claim: Bool = false) async throws -> ChangeLock {
        let cluster = ClusterMap.load(stateDirectory: config.stateDirectory).cluster(of: server, configured: config.allServers)
        let keys = (claim ? [ShareDriver.claimLockKey] : []) + [VolumeLock.key(volumeID: volumeID, volume: volume)]
        return try await changeLock(keys: keys, volume: volume, clusters: [cluster])
    }

    /// Refuses to go on when the volume read under the lock is not the one the pool-wide
    /// read found (deleted and made again under the same name, or a stale cluster map sent
    /// the command to another pool): its ID is its identity.
    func checkSameVolume(_ info: VolumeInfo, as pooled: PoolVolume) throws {
        guard info.id == pooled.info.id else {
            throw ShareDriverError(
                .volumeBusy, volume: pooled.exportLocation,
                message: "\(pooled.exportLocation) now has the volume ID \(info.id), not \(pooled.info.id) as a moment ago: it is not the same volume; nothing was changed",
                hint: "run the command again (gshare reads the pool afresh)")
        }
    }

    /// One `volume set` whose outcome a hung node can leave unknown: on such a failure
    /// (``mayStillTakeEffect(_:)``), the volume is read again, and when `applied` finds the
    /// change made this returns normally; otherwise it throws `outcome-unknown` naming the
    /// command that tells (`check`). Any other failure is thrown as it is.
    func setConfirming(
        _ cli: GlusterCLI, _ volume: String, _ settings: [VolumeSetting], share: String?, exportLocation: String, what: String, check: String,
        applied: (VolumeInfo) -> Bool
    ) async throws {
        do {
            try await cli.volumeSet(volume, settings)
        } catch let error where Self.mayStillTakeEffect(error) {
            if let now = try? await cli.volumeInfo(of: volume), applied(now) { return }
            throw ShareDriverError(
                .outcomeUnknown, share: share, volume: exportLocation,
                message: "\(what) was sent to \(exportLocation) but did not finish: \(error). A node of its pool holds it, so it may still take effect when that node recovers; gshare does not know yet",
                hint: "see where it stands: \(check); when the node is back, run the same command again (it converges)")
        }
    }

    /// The lock key of claims (a free volume for a share, a share name).
    static let claimLockKey = "claim"

    /// Runs `body`, then releases `lock`, also when `body` throws.
    func releasing<T>(_ lock: ChangeLock, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw error
        }
    }

    var systemCNs: [CommonName] { config.systemCNs }

    // MARK: - Reading the pool

    /// The pool now: one `volume info all` per cluster (the first node that answers; the
    /// clusters asked concurrently). A node's pool is learned (`pool list`) when gshare does
    /// not know it yet, or knew it more than ``ClusterMap/maximumAge`` ago.
    public func inventory() async throws -> PoolInventory {
        let configured = config.allServers
        var map = ClusterMap.load(stateDirectory: config.stateDirectory)
        let groups = map.groups(of: configured)
        // With one server there is nothing to group: never an extra call.
        let known = configured.count < 2 ? Set(configured) : Set(configured.filter { map.entry(for: $0) != nil })
        let outcomes = await withTaskGroup(of: (Int, Result<(ClusterRead, TrustedPoolMembers?), any Error>).self) { group in
            for (position, servers) in groups.enumerated() {
                group.addTask {
                    do {
                        return (position, .success(try await readCluster(servers, learn: !servers.allSatisfy(known.contains))))
                    } catch {
                        return (position, .failure(error))
                    }
                }
            }
            var collected: [(Int, Result<(ClusterRead, TrustedPoolMembers?), any Error>)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        // A server gshare did not know yet that does not answer, while a node that did answer
        // lists it as a peer: a node of that pool that is down, passed over (not a failure).
        var reads: [(Int, ClusterRead, TrustedPoolMembers?)] = []
        var failures: [(servers: [GlusterServer], error: any Error)] = []
        for (position, outcome) in outcomes {
            switch outcome {
            case .success(let (read, members)): reads.append((position, read, members))
            case .failure(let error): failures.append((groups[position], error))
            }
        }
        for failure in failures {
            let peerOfAnswering = reads.contains { _, _, members in
                members?.peers.contains { peer in failure.servers.contains { HostAddresses.same(peer.hostname, $0.host) } } == true
            }
            guard Self.nodeDidNotAnswer(failure.error), peerOfAnswering,
                let index = reads.firstIndex(where: { _, _, members in
                    members?.peers.contains { peer in failure.servers.contains { HostAddresses.same(peer.hostname, $0.host) } } == true
                })
            else { throw failure.error }
            let (position, read, members) = reads[index]
            let passed = read.passedOver + failure.servers.map { "\($0): \(failure.error)" }
            logger.info("\(failure.servers.map(\.description).joined(separator: ", ")) passed over: \(failure.error)")
            reads[index] = (
                position, ClusterRead(servers: read.servers + failure.servers, answered: read.answered, volumes: read.volumes, passedOver: passed), members
            )
        }
        var learned = false
        for (_, read, members) in reads {
            if let members {
                map.learn(members, from: read.answered, configured: configured)
                learned = true
            }
        }
        if learned { map.save(stateDirectory: config.stateDirectory) }
        recordLockVolumes(reads.map(\.1))
        let inventory = PoolInventory.assemble(config: config, clusters: reads.map(\.1))
        ShareIndex(inventory: inventory).save(stateDirectory: config.stateDirectory)
        return inventory
    }

    /// `volume info all` from the first of `servers` that takes it, and (when `learn`) that
    /// node's `pool list`, which only feeds the cluster map: its failure costs nothing.
    func readCluster(_ servers: [GlusterServer], learn: Bool) async throws -> (ClusterRead, TrustedPoolMembers?) {
        var passedOver: [String] = []
        for (position, server) in servers.enumerated() {
            let cli = GlusterCLI(runner: try nodeRunner(server))
            do {
                let volumes = try await cli.volumeInfo()
                let members = learn ? try? await cli.poolMembers() : nil
                return (ClusterRead(servers: servers, answered: server, volumes: volumes, passedOver: passedOver), members)
            } catch let error where position < servers.count - 1 && Self.nodeDidNotAnswer(error) {
                passedOver.append("\(server): \(error)")
                logger.info("\(server) passed over: \(error)")
            }
        }
        // Only reached with no servers at all: a group always has one.
        throw GlusterDriverError(.runnerFailed, command: ["volume", "info", "all"], message: "no GlusterFS server is configured")
    }

    /// The node could not take a command at all (SSH connect or handshake, or its glusterd).
    static func nodeDidNotAnswer(_ error: any Error) -> Bool {
        if let error = error as? GlusterDriverError { return error.code == .glusterdUnreachable }
        return FailoverGlusterRunner.neverDelivered(error)
    }

    /// Every share of the pool that `scope` sees.
    public func shares(scope: ShareScope = .all) async throws -> [Share] {
        try await inventory().volumes.filter { scope.admits($0.marks) }.compactMap { Share($0, systemCNs: systemCNs, unit: config.sizeUnit) }
    }

    /// One share, by id, name or volume (by id only when `scope` says so), within `scope`.
    public func share(_ reference: String, scope: ShareScope = .all) async throws -> Share {
        let inventory = try await inventory()
        guard let volume = try Self.find(reference, in: inventory, scope: scope), let share = Share(volume, systemCNs: systemCNs, unit: config.sizeUnit) else {
            throw unknownShare(reference, inventory: inventory, scope: scope)
        }
        return share
    }

    /// The share's volume, by id, name or volume (by id only when `scope` says so), among
    /// the shares `scope` sees.
    /// - Throws: ``ShareDriverError`` `ambiguous-share` when several shares carry the name.
    static func find(_ reference: String, in inventory: PoolInventory, scope: ShareScope = .all) throws -> PoolVolume? {
        let visible = inventory.volumes.filter { scope.admits($0.marks) }
        if let byID = visible.first(where: { $0.marks.shareID == reference }) { return byID }
        if scope.byIDOnly { return nil }
        let named = visible.filter { $0.marks.name == reference }
        if named.count > 1 {
            let ids = named.map { "\($0.marks.shareID ?? "?") (\($0.exportLocation))" }.joined(separator: ", ")
            throw ShareDriverError(
                .ambiguousShare, share: reference,
                message: "\(named.count) shares are called '\(reference)': \(ids); gshare will not pick one",
                hint: "name the share by its id; then rename or delete the other (gshare share delete ID)")
        }
        if let volume = named.first { return volume }
        if let volume = inventory.volume(named: reference), scope.admits(volume.marks) { return volume }
        return nil
    }

    /// "No such share". Within a project's scope it names nothing else: not the shares of
    /// other projects, not whether the id was ever used.
    func unknownShare(_ reference: String, inventory: PoolInventory, scope: ShareScope = .all) -> ShareDriverError {
        if let project = scope.project {
            return ShareDriverError(
                .unknownShare, share: reference, message: "project \(project) has no share with the id '\(reference)'",
                hint: "list the project's shares (GET /shares)")
        }
        if let volume = inventory.volumes.first(where: { $0.marks.deletedShareID == reference }) {
            return ShareDriverError(
                .alreadyDeleted, share: reference, volume: volume.exportLocation,
                message: "share \(reference) was deleted (its volume \(volume.exportLocation) is back in the pool)", hint: nil)
        }
        let known = inventory.volumes.compactMap { volume in volume.marks.shareID.map { "\($0) (\(volume.marks.name ?? volume.name))" } }
        return ShareDriverError(
            .unknownShare, share: reference,
            message: (scope.byIDOnly ? "no share has the id '\(reference)'" : "no share has the id, name or volume '\(reference)'")
                + (known.isEmpty ? "; the pool has no shares" : "; shares: \(known.joined(separator: ", "))"),
            hint: "gshare share list shows the shares")
    }

    // MARK: - Locking a share's volume

    /// A share's volume, locked, with what one `volume info` said under the lock.
    struct LockedShare {
        let lock: ChangeLock
        let server: GlusterServer
        /// The configured servers of its cluster, ``server`` first.
        let servers: [GlusterServer]
        let cli: GlusterCLI
        let info: VolumeInfo
        let sizeGB: Int?
        /// The volume as read under the lock, judged against `systemCNs`.
        func volume(systemCNs: [CommonName]) -> PoolVolume {
            PoolVolume(server: server, info: info, sizeGB: sizeGB, systemCNs: systemCNs, servers: servers)
        }
    }

    static func matches(_ reference: String, _ info: VolumeInfo, server: GlusterServer, scope: ShareScope = .all) -> Bool {
        scope.matches(reference, marks: ShareMarks(options: info.options), volume: info.name, target: GlusterTarget(server: server, volume: info.name))
    }

    /// Finds the share within `scope` (the local index first, else one `volume info all` per
    /// server), locks its volume and reads it once under the lock.
    func lockShare(_ reference: String, scope: ShareScope = .all) async throws -> LockedShare {
        if let entry = ShareIndex.load(stateDirectory: config.stateDirectory).entry(for: reference),
            let volumeID = entry.volumeID,
            let target = try? GlusterTarget(parsing: entry.target),
            config.allServers.contains(target.server)
        {
            let cli = try cli(target.server)
            // The SSH login runs while the lock is taken.
            async let warm: Void = cli.runner.warmUp()
            let lock = try await lock(volumeID: volumeID, volume: target.volume, server: target.server)
            await warm
            do {
                let info = try await cli.volumeInfo(of: target.volume)
                // The same volume (not another one of that name made since) and still this share.
                if info.id == volumeID, Self.matches(reference, info, server: target.server, scope: scope) {
                    let servers = ClusterMap.load(stateDirectory: config.stateDirectory).cluster(of: target.server, configured: config.allServers)
                    return LockedShare(
                        lock: lock, server: target.server, servers: servers, cli: cli, info: info, sizeGB: config.sizeUnit.units(ofGiB: config.volumePattern?.match(info.name)?.sizeGB))
                }
                await lock.release()
            } catch let error as GlusterDriverError where error.code == .unknownVolume {
                // The index is stale: fall through to a pool-wide read.
                await lock.release()
            } catch {
                await lock.release()
                throw error
            }
        }
        let inventory = try await inventory()
        guard let volume = try Self.find(reference, in: inventory, scope: scope) else { throw unknownShare(reference, inventory: inventory, scope: scope) }
        let lock = try await lock(volumeID: volume.info.id, volume: volume.name, server: volume.server)
        do {
            let cli = try cli(volume.server)
            let info = try await cli.volumeInfo(of: volume.name)
            // The volume the pool-wide read found (its ID), still holding this share.
            guard info.id == volume.info.id, Self.matches(reference, info, server: volume.server, scope: scope) else {
                throw ShareDriverError(
                    .unknownShare, share: reference, volume: volume.exportLocation,
                    message: "share \(reference) left \(volume.exportLocation) while gshare was reading it (deleted by another process?)",
                    hint: "gshare share list shows the shares now")
            }
            return LockedShare(lock: lock, server: volume.server, servers: volume.servers, cli: cli, info: info, sizeGB: volume.sizeGB)
        } catch {
            await lock.release()
            throw error
        }
    }
}

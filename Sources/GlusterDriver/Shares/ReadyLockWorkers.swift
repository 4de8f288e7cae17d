//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import GlusterFSAPI
import Logging

/// Lock workers kept connected to each lock volume, one ready at a time, for a process that
/// makes many changes (`gshare serve`): a change then takes its cluster lock with a worker
/// that is already connected (``GlusterArmedLock``) instead of starting one and waiting for
/// it to fetch the volfile and shake hands with every brick, and the next worker connects
/// in the background. A one-shot `gshare` command does not keep any (it would be wasted).
///
/// Nothing about the lock changes: the same worker code takes the same locks on the same
/// files and holds them the same way; a ready worker that is gone (its volume restarted, its
/// idle limit passed) is simply not used, and the change starts a worker as it always did.
///
/// Sendable by construction: an actor.
public actor ReadyLockWorkers {
    /// How long a ready worker waits for a change before it is replaced.
    public let idleLimit: Duration
    private var ready: [GlusterConnection: GlusterArmedLock] = [:]
    private var arming: Set<GlusterConnection> = []
    private var stopped = false

    public init(idleLimit: Duration = .seconds(300)) {
        self.idleLimit = idleLimit
    }

    /// The ready worker of `connection`, taken out (nil when none is usable); either way the
    /// next one starts connecting in the background.
    func take(_ connection: GlusterConnection, client: IsolatedGlusterClient, waitLimit: Duration, holdLimit: Duration, logger: Logger)
        -> GlusterArmedLock?
    {
        let found = ready.removeValue(forKey: connection)
        arm(connection, client: client, waitLimit: waitLimit, holdLimit: holdLimit, logger: logger)
        guard let found else { return nil }
        guard found.isUsable else {
            Task { await found.discard() }
            return nil
        }
        return found
    }

    /// Starts connecting a worker for `connection` unless one is ready or connecting.
    func arm(_ connection: GlusterConnection, client: IsolatedGlusterClient, waitLimit: Duration, holdLimit: Duration, logger: Logger) {
        guard !stopped, ready[connection] == nil, !arming.contains(connection) else { return }
        arming.insert(connection)
        let idleLimit = idleLimit
        Task {
            let started = ContinuousClock.now
            do {
                let armed = try await client.armLock(connection, idleLimit: idleLimit, waitLimit: waitLimit, holdLimit: holdLimit)
                logger.debug(
                    "lock worker ready", metadata: ["lock_volume": "\(connection.address)", "ms": "\((ContinuousClock.now - started).wholeMilliseconds)"])
                await self.store(armed, for: connection)
            } catch {
                logger.debug("no lock worker ready: \(error)", metadata: ["lock_volume": "\(connection.address)"])
                await self.store(nil, for: connection)
            }
        }
    }

    private func store(_ armed: GlusterArmedLock?, for connection: GlusterConnection) async {
        arming.remove(connection)
        guard let armed else { return }
        if stopped || ready[connection] != nil {
            await armed.discard()
        } else {
            ready[connection] = armed
        }
    }

    /// Ends every ready worker; none is started afterwards.
    public func stop() async {
        stopped = true
        let workers = Array(ready.values)
        ready = [:]
        for worker in workers { await worker.discard() }
    }
}

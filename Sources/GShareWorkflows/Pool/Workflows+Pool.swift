//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver

/// What `pool check` judged.
public struct PoolCheck: Sendable {
    /// The volumes judged, in pool order (or as asked).
    public let volumes: [PoolVolume]
    public var ready: Int { volumes.filter(\.posture.isReady).count }
    public var notReady: Int { volumes.count - ready }
    /// `ok` when every volume judged is ready, else `refused`.
    public var verdict: Verdict { notReady == 0 ? .ok : .refused }
}

extension Workflows {
    /// The pool now: one `volume info all` per server.
    public func pool() async throws(WorkflowError) -> PoolInventory {
        try await reported { try await driver.inventory() }
    }

    /// Judges the TLS posture of `volumes` (names or `host:/volume`), or of the whole pool.
    /// - Throws: ``WorkflowError`` `not-in-pool` for a volume the pool does not have.
    public func checkPool(_ volumes: [String] = []) async throws(WorkflowError) -> PoolCheck {
        let inventory = try await pool()
        guard !volumes.isEmpty else { return PoolCheck(volumes: inventory.volumes) }
        var selected: [PoolVolume] = []
        for name in volumes {
            guard let volume = inventory.volume(named: name) else {
                throw WorkflowError(
                    .notInPool, .failed, subject: name, message: "\(name) is not a volume of the configured pool",
                    fix: "gshare pool list shows the pool's volumes")
            }
            selected.append(volume)
        }
        return PoolCheck(volumes: selected)
    }

    /// Applies the safe TLS settings to a pool volume (and with `restart`, restarts it so
    /// server.ssl takes effect). Audited as done (what was set, and whether the volume is
    /// ready now); the result's ``PrepareResult/verdict`` is `refused` while it is not ready.
    public func preparePool(volume: String, restart: Bool) async throws(WorkflowError) -> PrepareResult {
        try await audit.audited(
            volume,
            summary: { "set \($0.applied.map(\.description).joined(separator: " ")); \($0.readyAfter ? "ready" : "not ready")" }
        ) {
            try await driver.prepare(volume: volume, restart: restart)
        }
    }
}

extension PrepareResult {
    /// `ok` when the volume is ready now; `refused` while it is not (a restart pending).
    public var verdict: Verdict { readyAfter ? .ok : .refused }
}

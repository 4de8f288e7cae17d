//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
public import GShareDoctor
public import GlusterDriver

/// What `pool check` judged.
public struct PoolCheck: Sendable {
    /// The volumes judged, in pool order (or as asked).
    public let volumes: [PoolVolume]
    /// What the doctor says of the nodes' own CNs against `system_cns` (learned from each
    /// node by a TLS handshake): `node-cn-not-system`, `system-cn-unheld`, `node-cn-unknown`.
    public let nodeFindings: [DoctorFinding]
    public var ready: Int { volumes.filter(\.posture.isReady).count }
    public var notReady: Int { volumes.count - ready }
    /// `ok` when every volume judged is ready and no node finding is critical, else `refused`.
    public var verdict: Verdict { notReady == 0 && !nodeFindings.contains { $0.severity == .critical } ? .ok : .refused }
}

/// The pool with how full its volumes are (`pool list --usage`).
public struct PoolUsage: Sendable {
    public let inventory: PoolInventory
    /// By volume ID: every share, and every free volume without a pattern size.
    public let usages: [String: VolumeUsage]
    /// The unit sizes are counted in.
    public let unit: ShareSizeUnit
}

extension Workflows {
    /// The pool now: one `volume info all` per server.
    public func pool() async throws(WorkflowError) -> PoolInventory {
        try await reported { try await driver.inventory() }
    }

    /// The pool and how full each volume is: one quota (or brick) read per share and per
    /// unsized free volume, 16 at a time.
    public func poolUsage() async throws(WorkflowError) -> PoolUsage {
        try await reported {
            let inventory = try await driver.inventory()
            return PoolUsage(inventory: inventory, usages: await driver.usage(of: inventory.volumes), unit: config.sizeUnit)
        }
    }

    /// Judges the TLS posture of `volumes` (names or `host:/volume`), or of the whole pool.
    /// - Throws: ``WorkflowError`` `not-in-pool` for a volume the pool does not have.
    public func checkPool(_ volumes: [String] = []) async throws(WorkflowError) -> PoolCheck {
        let inventory = try await pool()
        let nodeFindings = await self.nodeFindings(inventory)
        guard !volumes.isEmpty else { return PoolCheck(volumes: inventory.volumes, nodeFindings: nodeFindings) }
        var selected: [PoolVolume] = []
        for name in volumes {
            guard let volume = inventory.volume(named: name) else {
                throw WorkflowError(
                    .notInPool, .failed, subject: name, message: "\(name) is not a volume of the configured pool",
                    fix: "gshare pool list shows the pool's volumes")
            }
            selected.append(volume)
        }
        return PoolCheck(volumes: selected, nodeFindings: nodeFindings)
    }

    /// The doctor's node checks (check 9) on the nodes of `inventory`.
    func nodeFindings(_ inventory: PoolInventory) async -> [DoctorFinding] {
        let nodes = await driver.nodeIdentities(of: inventory)
        guard !nodes.isEmpty else { return [] }
        let managerPEM = config.manager.flatMap { try? String(contentsOfFile: $0.certificate, encoding: .utf8) }
        let input = DoctorInput(
            inventory: PoolInventory(volumes: [], missingTargets: []), tenants: [], tenantsAreComplete: false, systemCNs: config.systemCNs,
            managerCertificatePEM: managerPEM, now: context.now(), nodes: nodes)
        let codes: [DoctorFinding.Code] = [.nodeCNNotSystem, .systemCNUnheld, .nodeCNUnknown]
        return Doctor.diagnose(input).findings.filter { codes.contains($0.code) }
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

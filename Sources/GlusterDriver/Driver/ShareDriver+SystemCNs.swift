//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import TenantPKI

/// What ``ShareDriver/ensureSystemCNs(volume:in:)`` did.
public struct SystemCNsChange: Sendable, Equatable, Codable {
    /// `host:/volume`.
    public let volume: String
    /// The system CNs it added (empty: nothing to do).
    public let added: [String]
    public let before: String
    public let after: String
    public var changed: Bool { !added.isEmpty }
}

extension ShareDriver {
    /// Adds the missing system CNs to a pool volume's auth.ssl-allow, keeping every other
    /// entry: one `volume info` and at most one `volume set`, under the volume's lock, then
    /// verified like an access change.
    ///
    /// A list that admits anyone (unset, `*`) is left alone: adding names would narrow it
    /// and could lock tenants out (`gshare pool prepare` is the deliberate way to narrow).
    ///
    /// - Parameters:
    ///   - name: the volume (a name, `host:/volume`, or its export location).
    ///   - known: a pool read already (saves a `volume info all`); read when nil.
    /// - Throws: ``ShareDriverError`` `not-in-pool`, `verify-failed`; gluster and lock errors.
    public func ensureSystemCNs(volume name: String, in known: PoolInventory? = nil) async throws -> SystemCNsChange {
        let inventory: PoolInventory
        if let known { inventory = known } else { inventory = try await self.inventory() }
        guard let pooled = inventory.volume(named: name) else {
            throw ShareDriverError(
                .notInPool, volume: name,
                message: "\(name) is not a volume of the configured pool (pool: \(inventory.volumes.map(\.name).joined(separator: ", ")))",
                hint: "add it to glusterfs_targets, or name it to match glusterfs_volume_pattern, in gshare.toml")
        }
        let lock = try await lock(volumeID: pooled.info.id, volume: pooled.name, server: pooled.server, claim: pooled.marks.shareID == nil)
        return try await releasing(lock) { try await ensureSystemCNs(pooled, lock: lock) }
    }

    /// The change, under the volume's lock.
    private func ensureSystemCNs(_ pooled: PoolVolume, lock: ChangeLock) async throws -> SystemCNsChange {
        let cli = try cli(pooled.server)
        let info = try await cli.volumeInfo(of: pooled.name)
        try checkSameVolume(info, as: pooled)
        let before = SSLAllowList(optionValue: info.option(TLSOption.sslAllow))
        let missing = before.missing(systemCNs)
        guard !before.admitsAnyone, !missing.isEmpty else {
            return SystemCNsChange(volume: pooled.target.description, added: [], before: before.rendered, after: before.rendered)
        }
        let after = before.ensuring(systemCNs)
        try lock.checkHeld(volume: pooled.exportLocation)
        try await cli.volumeSet(pooled.name, [VolumeSetting(key: TLSOption.sslAllow, value: after.rendered)])
        var stored = await cli.runner.committedOption(TLSOption.sslAllow, ofVolume: pooled.name)
        if stored == nil { stored = try await cli.volumeGet(pooled.name, TLSOption.sslAllow) }
        guard let stored, SSLAllowList(optionValue: stored) == SSLAllowList(optionValue: after.rendered) else {
            throw ShareDriverError(
                .verifyFailed, volume: pooled.exportLocation,
                message: "after writing '\(after.rendered)', auth.ssl-allow of \(pooled.exportLocation) reads '\(stored ?? "unset")': another writer changed it at the same time",
                hint: "run the same command again; it converges")
        }
        return SystemCNsChange(
            volume: pooled.target.description, added: missing.map(\.value), before: before.rendered, after: after.rendered)
    }
}

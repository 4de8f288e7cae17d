//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import TenantPKI

extension ShareDriver {
    /// Applies the safe TLS settings to a pool volume (``PreparePlan``): the allow list
    /// narrowed and completed with the system CNs first, then server.ssl, client.ssl and
    /// server.dynamic-auth on — one `volume set`. server.ssl takes effect only when the
    /// bricks restart: with `restart` the volume is stopped and started (clients are
    /// disconnected); without it the result says a restart is still needed.
    public func prepare(volume name: String, restart: Bool) async throws -> PrepareResult {
        let inventory = try await inventory()
        guard let pooled = inventory.volume(named: name) else {
            throw ShareDriverError(
                .notInPool, volume: name,
                message: "\(name) is not a volume of the configured pool (pool: \(inventory.volumes.map(\.name).joined(separator: ", ")))",
                hint: "add it to glusterfs_targets, or name it to match glusterfs_volume_pattern, in gshare.toml")
        }
        let lock = try await lock(volumeID: pooled.info.id, volume: pooled.name, server: pooled.server, claim: pooled.marks.shareID == nil)
        return try await releasing(lock) { try await prepare(pooled, lock: lock, restart: restart) }
    }

    /// The preparation, under the volume's lock.
    private func prepare(_ pooled: PoolVolume, lock: ChangeLock, restart: Bool) async throws -> PrepareResult {
        let cli = try cli(pooled.server)
        let info = try await cli.volumeInfo(of: pooled.name)
        try checkSameVolume(info, as: pooled)
        let plan = PreparePlan.make(for: info, systemCNs: systemCNs)
        let pendingBefore = info.option(TLSPosture.restartPendingKey).map { $0 != ShareMarks.none } ?? false
        let restartNeeded = plan.needsRestart || (pendingBefore && info.status == .started)
        var settings = plan.settings
        if restartNeeded && !restart && !pendingBefore {
            // Remember it on the volume: the options alone cannot show that the bricks still
            // run without TLS, and `pool check` must keep saying so until they restart.
            settings.append(VolumeSetting(key: TLSPosture.restartPendingKey, value: plan.restartReason ?? TLSOption.serverSSL))
        }
        if !settings.isEmpty {
            try lock.checkHeld(volume: pooled.exportLocation)
            try await cli.volumeSet(pooled.name, settings)
        }
        var restarted = false
        if restart {
            if info.status == .started && restartNeeded {
                try await cli.volumeStop(pooled.name)
                try await cli.volumeStart(pooled.name)
                restarted = true
            } else if info.status != .started {
                try await cli.volumeStart(pooled.name)
                restarted = true
            }
            if restarted && pendingBefore {
                try await cli.volumeSet(pooled.name, [VolumeSetting(key: TLSPosture.restartPendingKey, value: ShareMarks.none)])
            }
        }
        let after = try await cli.volumeInfo(of: pooled.name)
        let stillNeeded = restartNeeded && !restarted
        return PrepareResult(
            volume: pooled.exportLocation, applied: plan.settings, restarted: restarted, restartNeeded: stillNeeded,
            readyAfter: TLSPosture.evaluate(after, systemCNs: systemCNs).isReady && !stillNeeded)
    }
}

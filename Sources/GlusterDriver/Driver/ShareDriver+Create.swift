//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import TenantPKI

extension ShareDriver {
    /// Claims a free volume that passes the posture check (the smallest sized fit, unsized
    /// volumes last), marks it with a new share id and sets auth.ssl-allow to exactly the
    /// system CNs.
    ///
    /// Two processes creating at once never get the same volume: each candidate is taken
    /// only under its volume lock, re-read, written (marks and list in ONE `volume set`) and
    /// read back; a volume whose mark is not ours after the write is left to its owner.
    ///
    /// - Parameters:
    ///   - project: the project the share belongs to (the share API); its name must be
    ///     unique within the project only. Nil: a share of no project (the CLI).
    ///   - shareID: the new share's id when the caller chose it already (the share API
    ///     answers with it before the claim is done); a lower-case UUID. Default: a new one.
    public func createShare(name: String? = nil, sizeGB: Int? = nil, project: String? = nil, shareID: String? = nil) async throws -> CreateResult {
        try validateCreate(name: name, sizeGB: sizeGB, project: project, shareID: shareID)
        // One creator of a name at a time on this host (a name lock shared by every gshare
        // process); across hosts, a second holder seen after writing makes this one step back.
        var nameLock: VolumeLock?
        if let name {
            nameLock = try await VolumeLock.acquire(
                stateDirectory: config.stateDirectory, key: VolumeLock.key(volumeID: "share-name-\(name)", volume: "share name \(name)"),
                volume: "share name \(name)", timeout: lockTimeout, logger: logger)
        }
        defer { withExtendedLifetime(nameLock) {} }
        // Across hosts: the claim lock of every pool (in its lock volume), held from the read
        // of the pool to the read-back of the claim.
        let clusters = ClusterMap.load(stateDirectory: config.stateDirectory).groups(of: config.allServers)
        // The SSH logins run while the lock is taken.
        let firsts = try clusters.compactMap(\.first).map { try nodeRunner($0) }
        async let warm: Void = withTaskGroup(of: Void.self) { group in
            for runner in firsts { group.addTask { await runner.warmUp() } }
        }
        let claim = try await changeLock(keys: [Self.claimLockKey], volume: name.map { "share name \($0)" } ?? "a free volume", clusters: clusters)
        await warm
        return try await releasing(claim) { try await claimVolume(name: name, sizeGB: sizeGB, project: project, shareID: shareID, claim: claim) }
    }

    /// Refuses, before any server is asked, a create whose name, size, project or id gshare
    /// cannot take.
    func validateCreate(name: String?, sizeGB: Int?, project: String?, shareID: String?) throws {
        if let project, !ProjectID.isValid(project) {
            throw ShareDriverError(
                .invalidRequest, share: name,
                message: "'\(project)' is not a valid project ID: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; nothing was created",
                hint: "name the project by its ID")
        }
        if let shareID, UUID(uuidString: shareID) == nil || shareID != shareID.lowercased() {
            throw ShareDriverError(
                .invalidRequest, share: shareID, message: "'\(shareID)' is not a share id (a lower-case UUID); nothing was created", hint: "leave the id to gshare")
        }
        if let name, !ShareName.isValid(name) {
            throw ShareDriverError(
                .invalidRequest, share: name,
                message: "'\(name)' is not a valid share name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (and not NONE)",
                hint: "e.g. --name tenant-a-data")
        }
        if let sizeGB, !ShareMarks.sizeRange.contains(sizeGB) {
            throw ShareDriverError(
                .invalidRequest, share: name,
                message: "--size \(sizeGB) is not a share size: a share has \(ShareMarks.sizeRange.lowerBound) to \(ShareMarks.sizeRange.upperBound) \(config.sizeUnit.symbol)"
                    + (config.sizeUnit == .gibibyte ? " (2^30 bytes each)" : "") + "; nothing was created",
                hint: "give a whole number of \(config.sizeUnit.symbol), e.g. --size 2")
        }
    }

    /// What ``createShare(name:sizeGB:project:shareID:)`` would refuse before claiming, asked
    /// now (the share API answers these at once, then claims in the background): the
    /// name, size or project, a name the project has already, no free volume that fits.
    /// One pool-wide read.
    public func checkCreate(name: String?, sizeGB: Int?, project: String?) async throws {
        try validateCreate(name: name, sizeGB: sizeGB, project: project, shareID: nil)
        let inventory = try await inventory()
        if let name, let holder = inventory.volumes.first(where: { $0.marks.shareID != nil && $0.marks.project == project && $0.marks.name == name }) {
            throw Self.nameTaken(name, project: project, holder: holder)
        }
        let ordered = PoolSelection.order(inventory.candidates, requestedGB: sizeGB)
        guard !ordered.isEmpty else { throw noFit(sizeGB, inventory: inventory) }
        guard let sizeGB else { return }
        // A volume without a pattern size holds what its bricks hold (asked only when no
        // sized volume fits).
        var tooSmall: [String] = []
        for candidate in ordered {
            guard let volume = inventory.volumes.first(where: { $0.target.description == candidate.volume }) else { continue }
            guard volume.sizeGB == nil else { return }
            guard let capacity = try? await unsizedCapacity(volume) else { return }
            if capacity >= sizeGB { return }
            tooSmall.append("\(volume.exportLocation) holds \(capacity) \(config.sizeUnit.symbol)")
        }
        throw ShareDriverError(
            .noFreeVolume,
            message: "no free volume can hold a \(sizeGB) \(config.sizeUnit.symbol) share: the free volumes without a pattern size are smaller (\(tooSmall.joined(separator: "; ")))",
            hint: "ask for less, or add a larger volume to the pool")
    }

    static func nameTaken(_ name: String, project: String?, holder: PoolVolume) -> ShareDriverError {
        ShareDriverError(
            .nameTaken, share: name, volume: project == nil ? holder.exportLocation : nil,
            message: project == nil
                ? "a share called '\(name)' exists already (\(holder.marks.shareID ?? "") on \(holder.exportLocation))"
                : "project \(project ?? "") has a share called '\(name)' already (\(holder.marks.shareID ?? ""))",
            hint: "choose another name")
    }

    /// Claims a free volume, under the claim lock.
    private func claimVolume(name: String?, sizeGB: Int?, project: String?, shareID: String?, claim: ChangeLock) async throws -> CreateResult {
        let inventory = try await inventory()
        // Names are unique within a project (the CLI's shares: among the shares of no project).
        let sameProject = { (marks: ShareMarks) in marks.shareID != nil && marks.project == project }
        if let shareID, inventory.volumes.contains(where: { $0.marks.shareID == shareID || $0.marks.deletedShareID == shareID }) {
            throw ShareDriverError(.invalidRequest, share: shareID, message: "the share id \(shareID) is taken; nothing was created", hint: "leave the id to gshare")
        }
        if let name, let holder = inventory.volumes.first(where: { sameProject($0.marks) && $0.marks.name == name }) {
            throw Self.nameTaken(name, project: project, holder: holder)
        }
        let ordered = PoolSelection.order(inventory.candidates, requestedGB: sizeGB)
        guard !ordered.isEmpty else { throw noFit(sizeGB, inventory: inventory) }
        var contended: [String] = []
        var tooSmall: [String] = []
        for candidate in ordered {
            guard let volume = inventory.volumes.first(where: { $0.target.description == candidate.volume }) else { continue }
            // A volume without a pattern size holds what its bricks hold: a size past that
            // would be a limit never reached (the tenant meets ENOSPC first).
            if let sizeGB, volume.sizeGB == nil, let capacity = try? await unsizedCapacity(volume), capacity < sizeGB {
                tooSmall.append("\(volume.exportLocation) holds \(capacity) \(config.sizeUnit.symbol)")
                continue
            }
            // Another process on this host working on this volume: try the next one.
            guard let lock = try VolumeLock.attempt(stateDirectory: config.stateDirectory, volumeID: volume.info.id, volume: volume.name) else {
                logger.debug("volume busy (locked by another gshare process): trying the next", metadata: ["volume": "\(volume.exportLocation)"])
                contended.append(volume.exportLocation)
                continue
            }
            let cli = try cli(volume.server)
            let fresh = PoolVolume(server: volume.server, info: try await cli.volumeInfo(of: volume.name), sizeGB: volume.sizeGB, systemCNs: systemCNs, servers: volume.servers)
            guard fresh.isAvailable, fresh.info.id == volume.info.id else {
                contended.append(volume.exportLocation)
                continue
            }
            let id = shareID ?? UUID().uuidString.lowercased()
            // The share's size: as asked, else the volume's own (its pattern size); none for a
            // whole unsized volume. Enforced by a quota limit on `/`, promptly (timeouts 0).
            let shareSize = sizeGB ?? volume.sizeGB
            var marks = ShareMarks(
                shareID: id, name: name, created: RFC3339.format(Date()), state: .active, granted: [], sizeGiB: shareSize, project: project)
            marks.deletedShareID = fresh.marks.deletedShareID
            let list = SSLAllowList.exactly(systemCNs)
            try claim.checkHeld(volume: volume.exportLocation)
            try await setConfirming(
                cli, volume.name,
                [VolumeSetting(key: "auth.ssl-allow", value: list.rendered)] + marks.settings + (shareSize == nil ? [] : Self.promptQuotaSettings),
                share: id,
                exportLocation: volume.exportLocation, what: "the claim of a share (\(id))", check: "gshare share list"
            ) { ShareMarks(options: $0.options).shareID == id }
            // Re-read the mark: a gshare on another host may have claimed the volume at the same time.
            let after = PoolVolume(server: volume.server, info: try await cli.volumeInfo(of: volume.name), sizeGB: volume.sizeGB, systemCNs: systemCNs, servers: volume.servers)
            guard after.marks.shareID == id else {
                contended.append(volume.exportLocation)
                continue
            }
            guard after.allowList == list else {
                throw ShareDriverError(
                    .verifyFailed, share: id, volume: volume.exportLocation,
                    message: "after writing, auth.ssl-allow of \(volume.exportLocation) is '\(after.info.option("auth.ssl-allow") ?? "unset")', not '\(list.rendered)'",
                    hint: "another writer changed it; run gshare access list \(id) and fix it with gshare access allow/deny")
            }
            if let name {
                // A gshare on another host may have given another volume the same name meanwhile:
                // whoever sees the other steps back (the volume goes back to the pool untouched).
                let others = try await self.inventory().volumes.filter {
                    sameProject($0.marks) && $0.marks.shareID != id && $0.marks.name == name
                }
                if let other = others.first {
                    var restored = ShareMarks()
                    restored.deletedShareID = fresh.marks.deletedShareID
                    try await cli.volumeSet(
                        volume.name, [VolumeSetting(key: "auth.ssl-allow", value: fresh.allowList.isUnset ? list.rendered : fresh.allowList.rendered)]
                            + restored.settings)
                    throw ShareDriverError(
                        .nameTaken, share: name, volume: other.exportLocation,
                        message: "another gshare created a share called '\(name)' at the same time (\(other.marks.shareID ?? "") on \(other.exportLocation)); "
                            + "this one stepped back and \(volume.exportLocation) is free again",
                        hint: "choose another --name, or use that share")
                }
            }
            if let shareSize {
                do {
                    try await cli.quotaEnable(volume.name)
                    try await cli.quotaLimitUsage(volume.name, bytes: bytes(shareSize), softLimitPercent: config.softLimitPercent)
                } catch {
                    // Back to the pool as it was: marks free, the list as before, quota off.
                    var restored = ShareMarks()
                    restored.deletedShareID = fresh.marks.deletedShareID
                    try? await cli.quotaDisable(volume.name)
                    try? await cli.volumeSet(
                        volume.name, [VolumeSetting(key: "auth.ssl-allow", value: fresh.allowList.isUnset ? list.rendered : fresh.allowList.rendered)]
                            + restored.settings)
                    await resetPromptQuotaSettings(cli, volume.name, unless: fresh.info)
                    throw ShareDriverError(
                        .quotaFailed, share: name ?? id, volume: volume.exportLocation,
                        message: "cannot enforce the share's size (\(shareSize) \(config.sizeUnit.symbol)) on \(volume.exportLocation): \(error); the create stepped back and the volume is free again",
                        hint: "gshare doctor explains it (quota needs the node CNs in auth.ssl-allow and a running quotad); then run the same create again")
                }
            }
            withExtendedLifetime(lock) {}
            var index = ShareIndex.load(stateDirectory: config.stateDirectory)
            index.shares.removeAll { $0.target == after.target.description }
            index.shares.append(ShareIndex.Entry(id: id, name: name, target: after.target.description, volumeID: after.info.id))
            index.save(stateDirectory: config.stateDirectory)
            guard let share = Share(after, systemCNs: systemCNs, unit: config.sizeUnit) else { continue }
            return CreateResult(share: share, contended: contended)
        }
        if contended.isEmpty, !tooSmall.isEmpty {
            throw ShareDriverError(
                .noFreeVolume,
                message: "no free volume can hold a \(sizeGB ?? 0) \(config.sizeUnit.symbol) share: the free volumes without a pattern size are smaller (\(tooSmall.joined(separator: "; ")))",
                hint: "ask for less (--size), or add a larger volume to the pool")
        }
        throw ShareDriverError(
            .noFreeVolume,
            message: "no free volume left: every one that fits was claimed by another process meanwhile (\(contended.joined(separator: ", ")))"
                + (tooSmall.isEmpty ? "" : "; too small: \(tooSmall.joined(separator: "; "))"),
            hint: "retry, or add volumes to the pool")
    }

    /// Quota enforced promptly: GlusterFS checks usage against the limit at every write
    /// (`features.hard-timeout`/`soft-timeout` 0) instead of every 5 s, when a tenant could
    /// write far past its size (1.6 GB into 1 GB, measured). Set with the claim's marks.
    static let promptQuotaSettings = [
        VolumeSetting(key: "features.hard-timeout", value: "0"), VolumeSetting(key: "features.soft-timeout", value: "0"),
    ]

    /// Puts the quota timeouts back to their defaults (`volume reset`), unless `before` had
    /// them set already.
    func resetPromptQuotaSettings(_ cli: GlusterCLI, _ volume: String, unless before: VolumeInfo? = nil) async {
        for setting in Self.promptQuotaSettings where before?.option(setting.key) == nil {
            try? await cli.volumeReset(volume, setting.key)
        }
    }

    func noFit(_ sizeGB: Int?, inventory: PoolInventory) -> ShareDriverError {
        let available = inventory.volumes.filter(\.isAvailable)
        let freeNotReady = inventory.volumes.filter { $0.state == .free && !$0.posture.isReady }
        var lines: [String] = []
        if available.isEmpty {
            lines.append("no free volume passes the TLS posture check")
        } else {
            lines.append("free: " + available.map { "\($0.exportLocation) (\($0.sizeGB.map { "\($0) \(config.sizeUnit.symbol)" } ?? "unsized"))" }.joined(separator: ", "))
        }
        if !freeNotReady.isEmpty {
            lines.append(
                "free but not ready: "
                    + freeNotReady.map { "\($0.exportLocation) (\($0.posture.problems.map(\.name).joined(separator: ", ")))" }.joined(separator: ", "))
        }
        let wanted = sizeGB.map { "a \($0) \(config.sizeUnit.symbol) share" } ?? "a share"
        return ShareDriverError(
            .noFreeVolume, share: nil,
            message: "no free volume can hold \(wanted): " + lines.joined(separator: "; "),
            hint: freeNotReady.isEmpty
                ? "add volumes to the pool (glusterfs_targets or volumes matching glusterfs_volume_pattern), or delete a share"
                : "gshare pool check explains what is wrong; gshare pool prepare VOLUME fixes it")
    }
}

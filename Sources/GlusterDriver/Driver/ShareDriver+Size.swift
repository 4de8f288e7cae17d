//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import TenantPKI

/// How full a pool volume is: for a share, its size and what its tenants wrote; for a free
/// unsized volume, what its bricks hold. Read by ``ShareDriver/usage(of:)``.
public struct VolumeUsage: Sendable, Equatable, Codable {
    /// Where the figures come from.
    public enum Source: String, Sendable, Codable {
        /// The volume's quota on `/` (`volume quota VOLUME list`): a share with its limit.
        case quota
        /// The bricks' file systems (`volume status VOLUME detail`): a volume without a
        /// limit (an unsized share takes its whole volume).
        case bricks
        /// Nothing could be read (``VolumeUsage/problem`` says why), or nothing to read.
        case none
    }

    /// The volume's identity.
    public let volumeID: String
    /// The share on it, if any.
    public let shareID: String?
    /// The share's size (recorded), else the volume's own (pattern size, or its bricks'
    /// capacity), in bytes.
    public let sizeBytes: Int64?
    public let usedBytes: Int64?
    /// `sizeBytes - usedBytes`, never below 0.
    public let freeBytes: Int64?
    /// The soft limit the flag below is judged by (`soft_limit_percent`).
    public let softLimitPercent: Int
    /// Usage at or past `softLimitPercent` of the size.
    public let overSoftLimit: Bool
    public let source: Source
    /// `features.quota` on the volume.
    public let quotaEnabled: Bool
    /// The hard limit on `/` glusterd holds; nil when none.
    public let limitBytes: Int64?
    /// The error code when a figure could not be read (`quotad-refused`, `glusterd-unreachable`…).
    public let problemCode: String?
    /// What could not be read, and why.
    public let problem: String?

    public init(
        volumeID: String, shareID: String?, sizeBytes: Int64?, usedBytes: Int64?, softLimitPercent: Int, source: Source, quotaEnabled: Bool,
        limitBytes: Int64?, problemCode: String? = nil, problem: String? = nil
    ) {
        self.volumeID = volumeID
        self.shareID = shareID
        self.sizeBytes = sizeBytes
        self.usedBytes = usedBytes
        if let sizeBytes, let usedBytes { freeBytes = max(0, sizeBytes - usedBytes) } else { freeBytes = nil }
        self.softLimitPercent = softLimitPercent
        if let sizeBytes, let usedBytes, sizeBytes > 0 {
            // used / size >= percent / 100, without overflow for sizes up to 1 PiB.
            overSoftLimit = Double(usedBytes) * 100 >= Double(sizeBytes) * Double(softLimitPercent)
        } else {
            overSoftLimit = false
        }
        self.source = source
        self.quotaEnabled = quotaEnabled
        self.limitBytes = limitBytes
        self.problemCode = problemCode
        self.problem = problem
    }
}

/// What `share resize` did.
public struct ResizeResult: Sendable, Equatable, Codable {
    public let shareID: String
    /// `host:/volume`.
    public let volume: String
    /// The unit of the sizes below (`GiB`; `MiB` in a test lab).
    public let unit: String
    /// The size recorded before (nil: none was recorded).
    public let sizeBefore: Int?
    public let size: Int
    public let sizeBytes: Int64
    /// What the share held when it was resized, when known.
    public let usedBytes: Int64?
    /// False when the share had that size and limit already: nothing was written.
    public let changed: Bool
    public let warnings: [String]
}

extension ShareDriver {
    /// Bytes of `size` units (`share_size_unit`).
    func bytes(_ size: Int) -> Int64 { Int64(size) * config.sizeUnit.bytes }

    /// How full each volume is, keyed by volume ID: shares (from their quota, else their
    /// bricks) and free volumes without a pattern size (their bricks' capacity); sized free
    /// volumes need no call and are left out. One call per volume, 16 at a time; a volume
    /// that cannot be read carries the problem instead of failing the others.
    public func usage(of volumes: [PoolVolume]) async -> [String: VolumeUsage] {
        let wanted = volumes.filter { $0.marks.shareID != nil || ($0.sizeGB == nil && $0.state == .free) }
        var usages: [String: VolumeUsage] = [:]
        await withTaskGroup(of: VolumeUsage.self) { group in
            var next = 0
            func start() {
                guard next < wanted.count else { return }
                let volume = wanted[next]
                next += 1
                group.addTask { await self.usage(of: volume) }
            }
            for _ in 0..<min(16, wanted.count) { start() }
            while let usage = await group.next() {
                usages[usage.volumeID] = usage
                start()
            }
        }
        return usages
    }

    /// How full one volume is (see ``usage(of:)-([PoolVolume])``).
    public func usage(of volume: PoolVolume) async -> VolumeUsage {
        let recorded = volume.marks.sizeGiB.map(bytes)
        let quotaOn = volume.info.option("features.quota").flatMap(GlusterBoolean.parse) == true
        let percent = config.softLimitPercent
        func failed(_ error: any Error, source: VolumeUsage.Source = .none) -> VolumeUsage {
            let code = (error as? GlusterDriverError)?.code.rawValue ?? (error as? ShareDriverError)?.code.rawValue ?? "unreadable"
            return VolumeUsage(
                volumeID: volume.info.id, shareID: volume.marks.shareID, sizeBytes: recorded ?? volume.sizeGB.map(bytes), usedBytes: nil,
                softLimitPercent: percent, source: source, quotaEnabled: quotaOn, limitBytes: nil, problemCode: code, problem: "\(error)")
        }
        let cli: GlusterCLI
        do {
            cli = try self.cli(volume.server)
        } catch {
            return failed(error)
        }
        if quotaOn {
            do {
                if case .limits(let limits) = try await quotaList(cli, volume.name), let root = limits.first(where: { $0.path == "/" }) {
                    return VolumeUsage(
                        volumeID: volume.info.id, shareID: volume.marks.shareID, sizeBytes: recorded ?? root.hardLimitBytes, usedBytes: root.usedBytes,
                        softLimitPercent: percent, source: .quota, quotaEnabled: true, limitBytes: root.hardLimitBytes)
                }
            } catch {
                return failed(error)
            }
        }
        // No limit on `/`: the bricks' file systems tell what the volume holds and uses.
        do {
            let capacity = try await cli.volumeCapacity(volume.name)
            let totals = capacity.totals(of: volume.info)
            let size = recorded ?? volume.sizeGB.map(bytes) ?? totals?.totalBytes
            return VolumeUsage(
                volumeID: volume.info.id, shareID: volume.marks.shareID, sizeBytes: size,
                usedBytes: volume.marks.shareID == nil ? nil : totals.map { $0.totalBytes - $0.freeBytes }, softLimitPercent: percent,
                source: totals == nil ? .none : .bricks, quotaEnabled: quotaOn, limitBytes: nil,
                problemCode: totals == nil ? "bricks-down" : nil, problem: totals == nil ? "no brick of a replica set reported its size" : nil)
        } catch {
            return failed(error)
        }
    }

    /// Every share; with `usage`, each with how full it is (read concurrently).
    public func shares(usage: Bool, scope: ShareScope = .all) async throws -> [Share] {
        let inventory = try await inventory()
        let visible = inventory.volumes.filter { scope.admits($0.marks) }
        let usages = usage ? await self.usage(of: visible) : [:]
        return visible.compactMap { volume in
            var share = Share(volume, systemCNs: systemCNs, unit: config.sizeUnit)
            share?.usage = usages[volume.info.id]
            return share
        }
    }

    /// How long `quotaList` waits before each new attempt while the CLI gives no XML: 16 s
    /// in all. A node's quotad restarts whenever quota is turned on or off on any volume of
    /// its pool, and on a loaded 3-node cluster with a node just gone it answered nothing for
    /// several seconds (seen in CI).
    static let quotaListRetryDelays: [Duration] = [.seconds(1), .seconds(1), .seconds(2), .seconds(2), .seconds(3), .seconds(3), .seconds(4)]

    /// `volume quota VOLUME list`, asked again after each of `delays` while the CLI gives no
    /// XML (glusterd restarts the node's quotad whenever quota is turned on or off on any
    /// volume, and until it is back the list fails without a word); then `quota-unavailable`.
    func quotaList(_ cli: GlusterCLI, _ volume: String, delays: [Duration] = ShareDriver.quotaListRetryDelays) async throws -> QuotaLimit.Listing {
        var attempt = 0
        while true {
            do {
                return try await cli.quotaList(volume)
            } catch let error as GlusterDriverError where error.code == .malformedOutput {
                guard attempt < delays.count else {
                    let waited = delays.reduce(Duration.zero, +).components.seconds
                    throw GlusterDriverError(
                        .quotaUnavailable, command: error.command,
                        message: "glusterd gave no quota figures for \(volume) \(attempt + 1) times in \(waited) s: its node's quotad restarts whenever quota is "
                            + "turned on or off on any volume, and answers nothing meanwhile; run the same command again in a moment")
                }
                logger.debug("quota list gave no XML (quotad restarting?): asking again", metadata: ["volume": "\(volume)", "attempt": "\(attempt + 1)"])
                try await Task.sleep(for: delays[attempt])
                attempt += 1
            }
        }
    }

    /// One share and how full it is.
    public func shareWithUsage(_ reference: String, scope: ShareScope = .all) async throws -> Share {
        let inventory = try await inventory()
        guard let volume = try Self.find(reference, in: inventory, scope: scope), var share = Share(volume, systemCNs: systemCNs, unit: config.sizeUnit) else {
            throw unknownShare(reference, inventory: inventory, scope: scope)
        }
        share.usage = await usage(of: volume)
        return share
    }

    /// What a volume without a pattern size holds, in units (its bricks); nil when a replica
    /// set reported no brick.
    func unsizedCapacity(_ volume: PoolVolume) async throws -> Int? {
        let capacity = try await cli(volume.server).volumeCapacity(volume.name)
        return capacity.totals(of: volume.info).map { Int($0.totalBytes / config.sizeUnit.bytes) }
    }

    /// The size a share may grow to on its volume, in units: the volume's pattern size, else
    /// what its bricks hold.
    func capacity(of locked: LockedShare) async throws -> Int {
        if let size = locked.sizeGB { return size }
        let capacity = try await locked.cli.volumeCapacity(locked.info.name)
        guard let totals = capacity.totals(of: locked.info) else {
            throw ShareDriverError(
                .invalidRequest, volume: locked.volume(systemCNs: systemCNs).exportLocation,
                message: "the size of \(locked.info.name) cannot be read: no brick of a replica set reported it (nodes down?); nothing was changed",
                hint: "gshare status shows the bricks that are down; resize when they are back")
        }
        return Int(totals.totalBytes / config.sizeUnit.bytes)
    }

    /// Gives a share a new size (`share resize`): the recorded size (`user.gshare.size`)
    /// and its quota limit on `/`, under the share's lock.
    ///
    /// - An extend up to the volume's own size (its pattern size, else its bricks' capacity)
    ///   is one quota change; beyond it is refused, naming a free volume that would hold it
    ///   (gshare does not move data).
    /// - A shrink below what the share holds is refused with the figure, and nothing
    ///   changes; otherwise it is applied.
    /// - A share without a size (made before sizes were enforced) gets one: quota on, the
    ///   limit set; when it already holds more, the result warns (writes are refused until
    ///   it holds less).
    public func resizeShare(_ reference: String, size: Int, scope: ShareScope = .all) async throws -> ResizeResult {
        let unit = config.sizeUnit.symbol
        guard ShareMarks.sizeRange.contains(size) else {
            throw ShareDriverError(
                .invalidRequest, share: reference,
                message: "\(size) is not a share size: a share has \(ShareMarks.sizeRange.lowerBound) to \(ShareMarks.sizeRange.upperBound) \(unit); nothing was changed",
                hint: "give a whole number of \(unit), e.g. gshare share resize \(reference) 2")
        }
        let locked = try await lockShare(reference, scope: scope)
        return try await releasing(locked.lock) { try await resize(locked, reference, to: size) }
    }

    private func resize(_ locked: LockedShare, _ reference: String, to size: Int) async throws -> ResizeResult {
        let volume = locked.volume(systemCNs: systemCNs)
        let shareID = volume.marks.shareID ?? reference
        let unit = config.sizeUnit.symbol
        guard volume.marks.state == .active, volume.marks.unknownState == nil else {
            throw ShareDriverError(
                .invalidRequest, share: shareID, volume: volume.exportLocation,
                message: "share \(shareID) is \(volume.marks.unknownState ?? volume.marks.state?.rawValue ?? "not active") (being deleted): it has no size to change",
                hint: "finish the delete: gshare share delete \(shareID)")
        }
        let capacity = try await capacity(of: locked)
        if size > capacity {
            throw try await tooLarge(size, shareID: shareID, on: volume, capacity: capacity)
        }
        let quotaOn = locked.info.option("features.quota").flatMap(GlusterBoolean.parse) == true
        var root: QuotaLimit?
        // An extend needs no usage figure: while quotad gives none, it goes ahead.
        var usageUnknown = false
        if quotaOn {
            do {
                if case .limits(let limits) = try await quotaList(locked.cli, locked.info.name) { root = limits.first { $0.path == "/" } }
            } catch let error as GlusterDriverError where error.code == .quotaUnavailable && volume.marks.sizeGiB.map({ size >= $0 }) == true {
                logger.debug("no quota figures: the extend goes ahead without them", metadata: ["volume": "\(volume.exportLocation)"])
                usageUnknown = true
            }
        }
        let wanted = bytes(size)
        if let root, root.usedBytes > wanted {
            throw ShareDriverError(
                .shrinkBelowUsage, share: shareID, volume: volume.exportLocation,
                message: "share \(shareID) holds \(root.usedBytes) bytes (\(Self.rounded(root.usedBytes, config.sizeUnit)) \(unit)), more than \(size) \(unit): "
                    + "shrinking it would lose data (Manila: shrinking_possible_data_loss_error); nothing was changed",
                hint: "free space in the share first, or give at least \(Int((root.usedBytes + config.sizeUnit.bytes - 1) / config.sizeUnit.bytes)) \(unit)")
        }
        let prompt = Self.promptQuotaSettings.allSatisfy { locked.info.option($0.key) == $0.value }
        if volume.marks.sizeGiB == size, root?.hardLimitBytes == wanted, root?.softLimitPercent == config.softLimitPercent, prompt {
            return ResizeResult(
                shareID: shareID, volume: volume.exportLocation, unit: unit, sizeBefore: size, size: size, sizeBytes: wanted, usedBytes: root?.usedBytes,
                changed: false, warnings: [])
        }
        // On a cluster, which of the volume's nodes are away (asked while the change runs):
        // the change succeeds without them, and they apply it when they rejoin.
        async let away = nodesAway(of: volume, asking: locked.cli)
        try await enforce(locked, size: size, shareID: shareID, quotaOn: quotaOn, prompt: prompt)
        var warnings = await away.map {
            "node \($0) of \(volume.exportLocation) is disconnected from its pool: it applies this change when it rejoins (gshare status shows the peers)"
        }
        var used = root?.usedBytes
        if root == nil, !usageUnknown, case .limits(let limits)? = try? await locked.cli.quotaList(locked.info.name),
            let now = limits.first(where: { $0.path == "/" })
        {
            used = now.usedBytes
            if now.usedBytes > wanted {
                warnings.append(
                    "share \(shareID) already holds \(now.usedBytes) bytes, more than its new size: writes are refused until it holds less (or resize it larger)")
            }
        }
        if root == nil, volume.marks.sizeGiB == nil {
            warnings.append("share \(shareID) had no size; quota now counts what it holds (a large share may take a while until the figure is complete)")
        }
        return ResizeResult(
            shareID: shareID, volume: volume.exportLocation, unit: unit, sizeBefore: volume.marks.sizeGiB, size: size, sizeBytes: wanted, usedBytes: used,
            changed: true, warnings: warnings)
    }

    /// Records `size` on the share and sets its quota: the size mark (with the prompt
    /// timeouts, when missing) in one `volume set`, then quota on (when off) and the limit on
    /// `/`. When the quota cannot be set the mark goes back and nothing else changed.
    func enforce(_ locked: LockedShare, size: Int, shareID: String, quotaOn: Bool, prompt: Bool) async throws {
        let volume = locked.volume(systemCNs: systemCNs)
        let before = volume.marks.sizeGiB
        if before != size || !prompt {
            try locked.lock.checkHeld(volume: volume.exportLocation)
            try await setConfirming(
                locked.cli, locked.info.name, [VolumeSetting(key: ShareMarks.Key.size, value: String(size))] + (prompt ? [] : Self.promptQuotaSettings),
                share: shareID, exportLocation: volume.exportLocation, what: "recording the size of share \(shareID)", check: "gshare share show \(shareID)"
            ) { ShareMarks(options: $0.options).sizeGiB == size }
        }
        do {
            try locked.lock.checkHeld(volume: volume.exportLocation)
            if !quotaOn { try await locked.cli.quotaEnable(locked.info.name) }
            try await locked.cli.quotaLimitUsage(locked.info.name, bytes: bytes(size), softLimitPercent: config.softLimitPercent)
        } catch {
            if before != size {
                try? await locked.cli.volumeSet(locked.info.name, [VolumeSetting(key: ShareMarks.Key.size, value: before.map(String.init) ?? ShareMarks.none)])
            }
            throw ShareDriverError(
                .quotaFailed, share: shareID, volume: volume.exportLocation,
                message: "cannot set the quota of share \(shareID) on \(volume.exportLocation) to \(size) \(config.sizeUnit.symbol): \(error); its recorded size is as before",
                hint: "gshare doctor explains it (quota needs the node CNs in auth.ssl-allow and a running quotad); then run the same command again")
        }
    }

    /// Puts back the quota a share's recorded size asks for (`doctor --fix` for
    /// `quota-missing` and `quota-mismatch`), under the share's lock.
    /// - Returns: what was done, for the audit.
    public func restoreQuota(_ reference: String) async throws -> String {
        let locked = try await lockShare(reference)
        return try await releasing(locked.lock) {
            let volume = locked.volume(systemCNs: systemCNs)
            let shareID = volume.marks.shareID ?? reference
            guard let size = volume.marks.sizeGiB else {
                throw ShareDriverError(
                    .invalidRequest, share: shareID, message: "share \(shareID) has no recorded size to enforce",
                    hint: "give it one: gshare share resize \(shareID) SIZE")
            }
            let quotaOn = locked.info.option("features.quota").flatMap(GlusterBoolean.parse) == true
            let prompt = Self.promptQuotaSettings.allSatisfy { locked.info.option($0.key) == $0.value }
            try await enforce(locked, size: size, shareID: shareID, quotaOn: quotaOn, prompt: prompt)
            return "set the quota of share \(shareID) (\(volume.exportLocation)) to its size, \(size) \(config.sizeUnit.symbol)"
        }
    }

    /// `size-exceeds-volume`, naming the smallest free volume that would hold `size`.
    private func tooLarge(_ size: Int, shareID: String, on volume: PoolVolume, capacity: Int) async throws -> ShareDriverError {
        let unit = config.sizeUnit.symbol
        let inventory = try? await inventory()
        let larger = (inventory?.volumes ?? []).filter { $0.isAvailable && ($0.sizeGB ?? 0) >= size }.min { ($0.sizeGB ?? 0) < ($1.sizeGB ?? 0) }
        let elsewhere =
            larger.map {
                "the free volume \($0.exportLocation) (\($0.sizeGB ?? 0) \(unit)) would hold it: gshare does not move data, so create a share there (gshare share create --size \(size)) and copy the data over"
            } ?? "no free volume of the pool holds \(size) \(unit) either"
        return ShareDriverError(
            .sizeExceedsVolume, share: shareID, volume: volume.exportLocation,
            message: "share \(shareID) cannot grow to \(size) \(unit): its volume \(volume.exportLocation) holds \(capacity) \(unit); \(elsewhere); nothing was changed",
            hint: larger == nil
                ? "add a larger volume to the pool, or resize to at most \(capacity) \(unit)"
                : "move the data to a new share there yourself, or resize to at most \(capacity) \(unit)")
    }

    /// `bytes` in `unit`, to one decimal.
    static func rounded(_ bytes: Int64, _ unit: ShareSizeUnit) -> String {
        String(format: "%.1f", Double(bytes) / Double(unit.bytes))
    }
}

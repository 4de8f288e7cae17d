//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
public import GlusterFSAPI
import TenantPKI

extension ShareDriver {
    /// Deletes a share and returns its volume to the pool:
    /// 1. auth.ssl-allow = exactly the system CNs and the volume marked `needs-wipe` (one
    ///    `volume set`; with server.dynamic-auth on, connected tenants are cut off now);
    /// 2. everything in the volume is removed through libgfapi, connected as gshare's own
    ///    identity (`manager_cert`/`manager_key`/`manager_ca`);
    /// 3. the marks are cleared (one `volume set`), remembering the deleted share's id.
    ///
    /// If the wipe fails the volume stays `needs-wipe` — never handed out — and running the
    /// same delete again finishes the job. Deleting a share already deleted returns
    /// `deleted: false`; an id no volume knows is an error.
    public func deleteShare(
        _ reference: String, scope: ShareScope = .all, progress: @escaping @Sendable (WipeCounts) -> Void = { _ in }
    ) async throws -> DeleteResult {
        guard let manager = config.manager else {
            throw ShareDriverError(
                .notConfigured, share: reference,
                message: "deleting a share wipes its volume as gshare's own TLS identity, and gshare.toml does not name one",
                hint: "set manager_cert, manager_key and manager_ca in gshare.toml (a node-root certificate whose CN is in system_cns)")
        }
        let client = try IsolatedGlusterClient()
        let locked: LockedShare
        do {
            locked = try await lockShare(reference, scope: scope)
        } catch let error as ShareDriverError where error.code == .alreadyDeleted {
            return DeleteResult(shareID: reference, volume: error.volume ?? "", deleted: false, filesRemoved: 0, directoriesRemoved: 0, bytesRemoved: 0)
        }
        return try await releasing(locked.lock) {
            try await delete(locked, reference, manager: manager, client: client, progress: progress)
        }
    }

    /// Removals in flight during a wipe when the trash translator is off: on a replica-3
    /// volume every unlink is three brick operations, so they are latency-bound.
    static let wipeParallelism = 16

    /// How to wipe `volume`: many removals in flight, but one at a time when its trash
    /// translator is on (`features.trash`): GlusterFS 10.3's trash translator crashes the
    /// brick under concurrent unlinks (GlusterFS issue 1832; seen here).
    static func wipeOptions(for volume: VolumeInfo) -> WipeOptions {
        let trashOn = volume.option("features.trash").flatMap(GlusterBoolean.parse) == true
        return WipeOptions(parallelism: trashOn ? 1 : wipeParallelism)
    }

    /// The delete, under the share's lock.
    private func delete(
        _ locked: LockedShare, _ reference: String, manager: ManagerIdentity, client: IsolatedGlusterClient,
        progress: @escaping @Sendable (WipeCounts) -> Void
    ) async throws -> DeleteResult {
        let volume = locked.volume(systemCNs: systemCNs)
        let shareID = volume.marks.shareID ?? reference
        let exactlySystem = SSLAllowList.exactly(systemCNs)

        // 1. Cut tenants off and mark the volume as needing a wipe.
        if volume.marks.state != .needsWipe || volume.allowList.rendered != exactlySystem.rendered || !volume.marks.granted.isEmpty {
            try locked.lock.checkHeld(volume: volume.exportLocation)
            try await setConfirming(
                locked.cli, locked.info.name,
                [
                    VolumeSetting(key: "auth.ssl-allow", value: exactlySystem.rendered),
                    VolumeSetting(key: ShareMarks.Key.state, value: ShareMarks.State.needsWipe.rawValue),
                    ShareMarks.grantedSetting([]),
                ], share: shareID, exportLocation: volume.exportLocation, what: "cutting the tenants of share \(shareID) off",
                check: "gshare share show \(shareID)"
            ) { ShareMarks(options: $0.options).state == .needsWipe && SSLAllowList(optionValue: $0.option("auth.ssl-allow")) == exactlySystem }
        }

        // 2. Wipe as gshare's identity; TLS required even if someone turned it off. Every
        //    node of the volume is a volfile server; with management TLS the volume file is
        //    fetched over TLS as gshare's identity too.
        let identity = GlusterTLSIdentity(
            certificateChain: manager.certificate, privateKey: manager.privateKey, certificateAuthorities: manager.certificateAuthorities)
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: locked.server.host, volume: locked.info.name),
            identity: identity, transport: .requireTLS,
            backupVolfileServers: locked.volume(systemCNs: systemCNs).backupVolfileServers,
            managementIdentity: config.managementTLS ? identity : nil)
        let report: WipeReport
        do {
            report = try await client.wipe(connection, options: Self.wipeOptions(for: locked.info), deadline: wipeDeadline, progress: progress)
        } catch {
            throw ShareDriverError(
                .wipeFailed, share: shareID, volume: volume.exportLocation,
                message: "the wipe of \(volume.exportLocation) did not finish: \(error). The volume stays marked needs-wipe and is never handed out",
                hint: "fix the cause, then run gshare share delete \(shareID) again (it picks up where it stopped)")
        }
        guard report.removed.failures == 0 else {
            let samples = report.failureSamples.prefix(3).map(\.description).joined(separator: "; ")
            throw ShareDriverError(
                .wipeFailed, share: shareID, volume: volume.exportLocation,
                message: "\(report.removed.failures) entries of \(volume.exportLocation) could not be removed (\(samples)). The volume stays marked needs-wipe",
                hint: "fix the cause, then run gshare share delete \(shareID) again")
        }

        // 3. Back to the pool: the size's quota off (it removes the limit), then the marks.
        if locked.info.option("features.quota").flatMap(GlusterBoolean.parse) == true {
            try locked.lock.checkHeld(volume: volume.exportLocation)
            try await locked.cli.quotaDisable(locked.info.name)
        }
        var cleared = ShareMarks()
        cleared.deletedShareID = shareID
        try locked.lock.checkHeld(volume: volume.exportLocation)
        try await setConfirming(
            locked.cli, locked.info.name, cleared.settings, share: shareID, exportLocation: volume.exportLocation,
            what: "returning the wiped volume of share \(shareID) to the pool", check: "gshare pool list"
        ) { ShareMarks(options: $0.options).shareID == nil && ShareMarks(options: $0.options).deletedShareID == shareID }
        if locked.info.option("features.hard-timeout") != nil || locked.info.option("features.soft-timeout") != nil {
            await resetPromptQuotaSettings(locked.cli, locked.info.name)
        }
        var index = ShareIndex.load(stateDirectory: config.stateDirectory)
        index.shares.removeAll { $0.id == shareID }
        index.save(stateDirectory: config.stateDirectory)
        return DeleteResult(
            shareID: shareID, volume: volume.exportLocation, deleted: true, filesRemoved: report.removed.files,
            directoriesRemoved: report.removed.directories, bytesRemoved: report.removed.bytes)
    }
}

extension ShareDriver {
    /// Records on the share's volume why a background change of it failed
    /// (`user.gshare.failure`; nil clears it), under its lock, so every host shows it.
    public func recordFailure(_ shareID: String, _ failure: String?) async throws {
        let locked = try await lockShare(shareID, scope: .admin)
        try await releasing(locked.lock) {
            try locked.lock.checkHeld(volume: locked.volume(systemCNs: systemCNs).exportLocation)
            try await locked.cli.volumeSet(locked.info.name, [ShareMarks.failureSetting(failure)])
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import TenantPKI

extension ShareDriver {
    /// Lets `name` in: adds it to the share's auth.ssl-allow.
    ///
    /// Refuses when the volume's TLS posture is not ready (say what is wrong and the fix),
    /// keeps system CNs and unknown entries as they are, writes a canonical comma-separated
    /// list (one `volume set`, together with the `user.gshare.granted` record), writes
    /// nothing when nothing changes, and reads the list back after writing.
    public func allow(_ reference: String, _ name: GrantedName, request: AccessRequest = AccessRequest(), scope: ShareScope = .all) async throws
        -> AccessChange
    {
        try request.validate()
        return try await change(reference, name, action: .allow, scope: scope)
    }

    /// Throws `name` out: removes it from the share's auth.ssl-allow. Never removes a system
    /// CN. Works whatever the TLS posture (narrowing a list is always safe), with a warning
    /// when TLS is not on (then the list does not protect the volume).
    public func deny(_ reference: String, _ name: GrantedName, request: AccessRequest = AccessRequest(), scope: ShareScope = .all) async throws
        -> AccessChange
    {
        try request.validate()
        return try await change(reference, name, action: .deny, scope: scope)
    }

    /// The share's auth.ssl-allow entries, classified system / tenant / unknown.
    public func accessList(_ reference: String, scope: ShareScope = .all) async throws -> Share {
        try await share(reference, scope: scope)
    }

    func change(_ reference: String, _ name: GrantedName, action: AccessChange.Action, scope: ShareScope) async throws -> AccessChange {
        let cn = name.commonName
        if action == .deny, systemCNs.contains(cn) {
            throw ShareDriverError(
                .systemCN, share: reference,
                message: "\(cn) is a system CN (a node or gshare itself): removing it would break the servers' own access to the volume",
                hint: "system CNs come from system_cns in gshare.toml and stay in every list")
        }
        let locked = try await lockShare(reference, scope: scope)
        return try await releasing(locked.lock) { try await change(locked, reference, name, action: action) }
    }

    /// The access change, under the share's lock.
    private func change(_ locked: LockedShare, _ reference: String, _ name: GrantedName, action: AccessChange.Action) async throws -> AccessChange {
        let cn = name.commonName
        let volume = locked.volume(systemCNs: systemCNs)
        let shareID = volume.marks.shareID ?? reference
        guard volume.marks.state == .active else {
            throw ShareDriverError(
                .volumeBusy, share: shareID, volume: volume.exportLocation,
                message: "share \(shareID) is being deleted (\(volume.exportLocation) is marked \(volume.marks.state?.rawValue ?? volume.marks.unknownState ?? "?"))",
                hint: "finish the delete: gshare share delete \(shareID)")
        }
        var warnings: [String] = []
        if !volume.posture.isReady {
            let problems = volume.posture.problems
            if action == .allow {
                throw ShareDriverError(
                    .postureNotReady, share: shareID, volume: volume.exportLocation,
                    message: "refusing to allow \(cn) on \(volume.exportLocation): its TLS posture is not ready: "
                        + problems.map { "\($0.name) is \($0.found)\($0.problem.map { " (\($0))" } ?? "")" }.joined(separator: "; "),
                    hint: problems.compactMap(\.fix).uniqued().joined(separator: "; "))
            }
            warnings.append(
                "\(volume.exportLocation) is not TLS-ready (\(problems.map(\.name).joined(separator: ", "))): the list is not what protects it; see gshare pool check")
        }
        let before = volume.allowList
        var after: SSLAllowList
        var granted = volume.marks.granted
        switch action {
        case .allow:
            after = before.allowing(cn)
            if !granted.contains(cn.value) { granted.append(cn.value) }
        case .deny:
            do {
                after = try before.denying(cn, systemCNs: systemCNs)
            } catch {
                throw ShareDriverError(
                    .patternAdmits, share: shareID, volume: volume.exportLocation,
                    message: "refusing to deny \(cn) on \(volume.exportLocation): \(error.message)",
                    hint: error.hint.replacingOccurrences(of: "VOLUME", with: locked.info.name))
            }
            granted.removeAll { $0 == cn.value }
            if after.entries.isEmpty { after = SSLAllowList.exactly(systemCNs) }  // glusterd refuses an empty value
        }
        let listChanged = after.rendered != before.rendered || before.isUnset
        guard listChanged || granted != volume.marks.granted else {
            return AccessChange(
                action: action, share: shareID, volume: volume.exportLocation, commonName: cn.value, changed: false,
                before: before.rendered, after: before.rendered, warnings: warnings, shareCreated: volume.marks.created)
        }
        var settings: [VolumeSetting] = []
        if listChanged { settings.append(VolumeSetting(key: "auth.ssl-allow", value: after.rendered)) }
        settings.append(ShareMarks.grantedSetting(granted))
        // A backslash in the list the bricks started with freezes them: they ignore this change until
        // they restart. Say so on the volume (posture: restart pending) and to the caller.
        let frozen = listChanged && before.freezesTheBricks && locked.info.status == .started
        if frozen {
            settings.append(VolumeSetting(key: TLSPosture.restartPendingKey, value: TLSOption.sslAllow))
            warnings.append(
                "auth.ssl-allow of \(volume.exportLocation) held a '\\' entry, which the bricks cannot parse: they keep the list they "
                    + "started with and ignore this change until they restart. \(cn) is NOT \(action == .deny ? "cut off" : "let in") yet: "
                    + "gshare pool prepare \(locked.info.name) --restart")
        }
        // On a cluster, which of the volume's nodes are away (asked while the set runs): the
        // set succeeds without them, and they apply it when they rejoin.
        try locked.lock.checkHeld(volume: volume.exportLocation)
        async let away = nodesAway(of: volume, asking: locked.cli)
        do {
            try await locked.cli.volumeSet(locked.info.name, settings)
        } catch let error where Self.mayStillTakeEffect(error) {
            // A node hung while the set was in flight: it may or may not take effect. Read
            // the volume again: never report as failed a change that was made.
            let now = try? await locked.cli.volumeInfo(of: locked.info.name)
            guard let now, SSLAllowList(optionValue: now.option("auth.ssl-allow")) == SSLAllowList(optionValue: after.rendered),
                ShareMarks(options: now.options).granted == granted
            else {
                let hung = await away
                let who = hung.isEmpty ? "" : " (" + hung.joined(separator: ", ") + " does not answer its peers)"
                throw ShareDriverError(
                    .outcomeUnknown, share: shareID, volume: volume.exportLocation,
                    message: "the change of \(volume.exportLocation) (\(action.rawValue) \(cn)) was sent but did not finish: \(error). "
                        + "A node of its pool holds it\(who), so it may still take effect when that node recovers; gshare does not know yet",
                    hint: "see where it stands: gshare access list \(shareID); when the node is back, run the same command again (it converges)")
            }
        }
        warnings += await away.map { "node \($0) of \(volume.exportLocation) is disconnected from its pool: it applies this change when it rejoins (gshare status shows the peers)" }
        if listChanged {
            // Verify: glusterd's committed store when this runner can read it (local, root),
            // else one `volume get`.
            var stored = await locked.cli.runner.committedOption("auth.ssl-allow", ofVolume: locked.info.name)
            if stored == nil { stored = try await locked.cli.volumeGet(locked.info.name, "auth.ssl-allow") }
            guard let stored, SSLAllowList(optionValue: stored) == SSLAllowList(optionValue: after.rendered) else {
                throw ShareDriverError(
                    .verifyFailed, share: shareID, volume: volume.exportLocation,
                    message: "after writing '\(after.rendered)', auth.ssl-allow of \(volume.exportLocation) reads '\(stored ?? "unset")': another writer (not through this host's gshare lock) changed it at the same time",
                    hint: "run the same command again; it converges")
            }
        }
        return AccessChange(
            action: action, share: shareID, volume: volume.exportLocation, commonName: cn.value, changed: true,
            before: before.rendered, after: after.rendered, warnings: warnings, restartNeeded: frozen, shareCreated: volume.marks.created)
    }
}

extension ShareDriver {
    /// A change that failed this way was sent and may still take effect: it timed out
    /// (glusterd's "Request timed out", gshare's deadline, the SSH command's timeout), or
    /// glusterd said "Another transaction is in progress" (opErrno 30802: a transaction a
    /// hung node holds, perhaps an earlier attempt of this very change).
    static func mayStillTakeEffect(_ error: any Error) -> Bool {
        if let error = error as? GlusterDriverError {
            return error.code == .timedOut || error.glusterErrno == 30802 || (error.glusterMessage ?? "").contains("Another transaction is in progress")
        }
        if let error = error as? SSHError { return error.code == .timedOut && error.step != .connect && error.step != .handshake }
        return false
    }

    /// The hosts of `volume`'s nodes that the answering node sees disconnected
    /// (`pool list`); empty on a one-node volume or when the pool list cannot be read.
    func nodesAway(of volume: PoolVolume, asking cli: GlusterCLI) async -> [String] {
        guard volume.nodes.count > 1, let members = try? await cli.poolMembers() else { return [] }
        let away = members.peers.filter { !$0.connected }
        return volume.nodes.filter { node in away.contains { HostAddresses.same($0.hostname, node) } }
    }
}

extension Sequence where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

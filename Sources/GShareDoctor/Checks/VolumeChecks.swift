//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

public import GlusterDriver
public import TenantPKI

extension Doctor {
    /// Check 1: the TLS posture of one pool volume (from ``TLSPosture``).
    ///
    /// - `tls-off` (critical): `server.ssl` or `client.ssl` off or unset;
    /// - `tls-maybe` (critical): one of them holds a word GlusterFS does not read as a boolean;
    /// - `allow-list-open` (critical): `auth.ssl-allow` unset or listing `*`;
    /// - `allow-list-glob` (critical): other entries that are not plain names: glob patterns
    ///   (`tenant-*`), `\` escapes (which also freeze the bricks), any other special byte;
    /// - `restart-pending` (critical): TLS turned on, bricks not restarted;
    /// - `dynamic-auth-off` (warning);
    /// - `volume-not-started` (warning for a share, info for a free volume).
    public static func postureFindings(_ volume: PoolVolume) -> [DoctorFinding] {
        let name = label(volume)
        let shareID = volume.marks.shareID
        var findings: [DoctorFinding] = []
        func check(_ checkName: String) -> PostureCheck? { volume.posture.checks.first { $0.name == checkName && !$0.passed } }
        for key in ["server.ssl", "client.ssl"] {
            guard let failed = check(key) else { continue }
            let value = volume.info.option(key)
            let isWord = value.map { GlusterBoolean.parse($0) == nil } ?? false
            findings.append(
                DoctorFinding(
                    isWord ? .tlsMaybe : .tlsOff, .critical, volume: name, share: shareID,
                    "\(name): \(key) is \(failed.found): \(failed.problem ?? "TLS is not enforced")",
                    fix: failed.fix ?? "gshare pool prepare \(volume.name)"))
        }
        let list = volume.allowList
        let listFix = check("auth.ssl-allow")?.fix ?? "gshare pool prepare \(volume.name)"
        if list.admitsAnyone {
            let what = list.isUnset ? "is not set, so GlusterFS uses *" : "lists *"
            findings.append(
                DoctorFinding(
                    .allowListOpen, .critical, volume: name, share: shareID,
                    "\(name): auth.ssl-allow \(what): every client whose certificate the servers trust gets in, whatever its CN",
                    fix: listFix))
        }
        let globs = list.irregularEntries.filter { !$0.utf8.allSatisfy { $0 == UInt8(ascii: "*") } }
        if !globs.isEmpty {
            findings.append(
                DoctorFinding(
                    .allowListGlob, .critical, volume: name, share: shareID,
                    "\(name): auth.ssl-allow holds \(globs.map { "'\($0)'" }.joined(separator: " ")), not plain names: GlusterFS matches "
                        + "entries with fnmatch (* ? [ ] are patterns, \\ an escape), so any certificate whose CN fits gets in, checked or not"
                        + (list.freezesTheBricks ? "; and the bricks cannot parse a '\\': they ignore every change to the list until restarted" : ""),
                    fix: listFix))
        }
        if let bricks = check("bricks") {
            findings.append(
                DoctorFinding(
                    .restartPending, .critical, volume: name, share: shareID, "\(name): \(bricks.problem ?? bricks.found)",
                    fix: bricks.fix ?? "gshare pool prepare \(volume.name) --restart"))
        }
        if let dynamic = check("server.dynamic-auth") {
            findings.append(
                DoctorFinding(
                    .dynamicAuthOff, .warning, volume: name, share: shareID,
                    "\(name): server.dynamic-auth is \(dynamic.found): \(dynamic.problem ?? "a deny does not disconnect anyone")",
                    fix: dynamic.fix ?? "gluster volume set \(volume.name) server.dynamic-auth on"))
        }
        if let status = check("status") {
            findings.append(
                DoctorFinding(
                    .volumeNotStarted, shareID == nil ? .info : .warning, volume: name, share: shareID,
                    "\(name): \(status.problem ?? "the volume is not started")"
                        + (shareID.map { " (it holds share \($0): its tenants cannot mount it)" } ?? ""),
                    fix: status.fix ?? "gluster volume start \(volume.name)"))
        }
        return findings
    }

    /// Check 2: system CNs missing from a list GlusterFS enforces (critical: the nodes'
    /// self-heal and quota clients, or gshare itself, are refused). Safe fix: add them.
    ///
    /// A list that admits anyone (unset, `*`) locks nobody out; it is `allow-list-open`.
    public static func systemCNFindings(_ volume: PoolVolume, systemCNs: [CommonName]) -> [DoctorFinding] {
        let list = volume.allowList
        guard !list.admitsAnyone else { return [] }
        let missing = list.missing(systemCNs)
        guard !missing.isEmpty else { return [] }
        let name = label(volume)
        let names = missing.map(\.value).joined(separator: ", ")
        return [
            DoctorFinding(
                .systemCNMissing, .critical, volume: name, share: volume.marks.shareID,
                "\(name): auth.ssl-allow does not list the system CN\(missing.count == 1 ? "" : "s") \(names): "
                    + "the servers' own clients (self-heal, quota) and gshare itself are refused on this volume",
                fix: "gluster volume set \(volume.name) auth.ssl-allow \(list.ensuring(systemCNs).rendered)",
                action: .addSystemCNs(volume: name))
        ]
    }
}

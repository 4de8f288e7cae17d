//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import GlusterDriver

extension Doctor {
    /// Check 11: each share's size against its quota (``DoctorInput/usages``, read from the
    /// servers; a share whose usage was not read is not judged).
    ///
    /// - `quotad-refused` (critical): quota cannot work on the volume: quotad was refused
    ///   (glusterd says "Failed to start aux mount"), or a node's CN is missing from the
    ///   share's `auth.ssl-allow` (quotad presents the node's certificate);
    /// - `quota-missing` (critical): a share with a recorded size and no limit on `/`
    ///   (quota off, or the limit removed): its size is not enforced. Safe fix: the limit
    ///   again (``FixAction/restoreQuota(share:)``);
    /// - `quota-mismatch` (warning): the limit differs from the recorded size. Safe fix: the
    ///   limit set to the recorded size (a resize changes both);
    /// - `share-over-soft-limit` (warning): the share holds its soft limit's share of its
    ///   size or more (`soft_limit_percent`);
    /// - `size-unknown` (info): a share made before sizes were recorded.
    static func quotaFindings(_ input: DoctorInput) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let unit = input.sizeUnit.symbol
        let nodeCNs = Set(input.nodes.compactMap(\.commonName))
        for volume in input.inventory.volumes {
            guard let (id, active) = share(of: volume), active else { continue }
            let name = label(volume)
            guard let size = volume.marks.sizeGiB else {
                findings.append(
                    DoctorFinding(
                        .sizeUnknown, .info, volume: name, share: id,
                        "share \(id) (\(name)) has no recorded size (made before gshare enforced sizes, or a whole unsized volume): its tenants may fill its whole volume"
                            + (volume.sizeGB.map { " (\($0) \(unit))" } ?? ""),
                        fix: "give it one: gshare share resize \(id) SIZE"))
                continue
            }
            let usage = input.usages[volume.info.id]
            let missingNodes = volume.nodes.isEmpty ? [] : nodeCNs.filter { !volume.allowList.uniqueEntries.contains($0) }.sorted()
            if usage?.problemCode == GlusterDriverError.Code.quotadRefused.rawValue || !missingNodes.isEmpty {
                let why =
                    missingNodes.isEmpty
                    ? "glusterd says quotad could not mount the volume (Failed to start aux mount)"
                    : "auth.ssl-allow of \(name) lacks the node CN\(missingNodes.count > 1 ? "s" : "") \(missingNodes.joined(separator: ", ")), which quotad presents"
                findings.append(
                    DoctorFinding(
                        .quotadRefused, .critical, volume: name, share: id,
                        "share \(id): quota cannot work on \(name): \(why); its size (\(size) \(unit)) is not enforced and its usage cannot be read",
                        fix: "gshare doctor --fix puts the system CNs back (or gshare pool prepare \(volume.name)); check the volume is started"))
                continue
            }
            // Quota off is known from the volume itself; a limit only from a quota read that worked.
            let quotaOn = volume.info.option("features.quota").flatMap(GlusterBoolean.parse) == true
            let read = usage.flatMap { $0.problemCode == nil ? $0 : nil }
            guard !quotaOn || read != nil else { continue }
            let sizeBytes = Int64(size) * input.sizeUnit.bytes
            guard quotaOn, let usage = read, let limit = usage.limitBytes else {
                findings.append(
                    DoctorFinding(
                        .quotaMissing, .critical, volume: name, share: id,
                        "share \(id) (\(name)) has a size of \(size) \(unit) but "
                            + (quotaOn ? "no quota limit on /" : "quota is off")
                            + ": nothing stops its tenants from filling the whole volume",
                        fix: "gshare doctor --fix sets it again (or gshare share resize \(id) \(size))", action: .restoreQuota(share: id)))
                continue
            }
            if limit != sizeBytes {
                findings.append(
                    DoctorFinding(
                        .quotaMismatch, .warning, volume: name, share: id,
                        "share \(id) (\(name)): its quota limit is \(limit) bytes, but its recorded size is \(size) \(unit) (\(sizeBytes) bytes): changed by hand?",
                        fix: "gshare doctor --fix sets the limit to the recorded size; to keep the other size, gshare share resize \(id) SIZE",
                        action: .restoreQuota(share: id)))
            }
            if usage.overSoftLimit, let used = usage.usedBytes {
                let percent = Int(Double(used) * 100 / Double(max(sizeBytes, 1)))
                findings.append(
                    DoctorFinding(
                        .shareOverSoftLimit, .warning, volume: name, share: id,
                        "share \(id) (\(name)) holds \(used) bytes, \(percent) % of its \(size) \(unit) (soft limit \(usage.softLimitPercent) %): writes are refused when it is full",
                        fix: Self.roomFix(id, size: size, volumeSize: volume.sizeGB, unit: unit)))
            }
        }
        return findings
    }

    /// How a full share gets room: extended up to its volume's size, else moved.
    static func roomFix(_ id: String, size: Int, volumeSize: Int?, unit: String) -> String {
        let target = min(size * 2, volumeSize ?? size * 2)
        guard target > size else {
            return "ask its tenants to free space; its volume holds no more (\(size) \(unit)): a larger share elsewhere means moving the data"
        }
        return "ask its tenants to free space, or extend it: gshare share resize \(id) \(target)"
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Testing

@testable import GlusterDriver
@testable import GShareDoctor

/// Check 11: each share's recorded size against the quota read from its volume.
@Suite("Doctor: share sizes and their quota")
struct QuotaCheckTests {
    static let mib: Int64 = 1 << 20

    /// A share of `size` GiB (recorded) on volume `name`.
    static func sizedShare(_ name: String, size: Int?, _ changes: [String: String?] = [:]) throws -> PoolVolume {
        var options = shareMarks("s-\(name)")
        options["user.gshare.size"] = size.map(String.init) ?? "NONE"
        options["features.quota"] = "on"
        for (key, value) in changes { options[key] = value }
        let info = VolumeInfo(name: name, status: .started, options: readyOptions(options), id: "id-\(name)", bricks: ["127.0.0.2:/b/\(name)"])
        return PoolVolume(server: lab, info: info, sizeGB: 4, systemCNs: try systemCNs())
    }

    static func usage(_ volume: PoolVolume, limit: Int64?, used: Int64?, quota: Bool = true, problem: String? = nil) -> VolumeUsage {
        VolumeUsage(
            volumeID: volume.info.id, shareID: volume.marks.shareID, sizeBytes: volume.marks.sizeGiB.map { Int64($0) << 30 }, usedBytes: used,
            softLimitPercent: 80, source: limit == nil ? .bricks : .quota, quotaEnabled: quota, limitBytes: limit, problemCode: problem,
            problem: problem.map { "gluster said \($0)" })
    }

    static func findings(_ volumes: [(PoolVolume, VolumeUsage?)], nodes: [NodeIdentity] = []) throws -> [DoctorFinding] {
        var input = try input(volumes.map(\.0))
        input.usages = Dictionary(uniqueKeysWithValues: volumes.compactMap { volume, usage in usage.map { (volume.info.id, $0) } })
        input.nodes = nodes
        return Doctor.quotaFindings(input)
    }

    @Test func aShareWithItsLimitAndRoomToSpareIsFine() throws {
        let volume = try Self.sizedShare("ok", size: 2)
        #expect(try Self.findings([(volume, Self.usage(volume, limit: 2 << 30, used: 1 << 30))]).isEmpty)
    }

    @Test func aRemovedLimitOrQuotaOffIsQuotaMissingWithARestoringFix() throws {
        let removed = try Self.sizedShare("removed", size: 2)
        let off = try Self.sizedShare("off", size: 2, ["features.quota": "off"])
        let found = try Self.findings([(removed, Self.usage(removed, limit: nil, used: 5)), (off, Self.usage(off, limit: nil, used: nil, quota: false))])
        #expect(found.codes == ["quota-missing", "quota-missing"])
        #expect(found.allSatisfy { $0.severity == .critical })
        #expect(found.map(\.fixAction) == [.restoreQuota(share: "s-removed"), .restoreQuota(share: "s-off")])
        #expect(found[1].message.contains("quota is off") && found[0].message.contains("no quota limit on /"))
    }

    @Test func aLimitThatIsNotTheRecordedSizeIsAMismatch() throws {
        let volume = try Self.sizedShare("hand", size: 2)
        let found = try Self.findings([(volume, Self.usage(volume, limit: 100 * Self.mib, used: 0))])
        #expect(found.codes == ["quota-mismatch"] && found.first?.severity == .warning)
        #expect(found.first?.message.contains("104857600 bytes") == true && found.first?.fixAction == .restoreQuota(share: "s-hand"))
    }

    @Test func aShareAtItsSoftLimitDrawsAWarningAndJustBelowItDoesNot() throws {
        let volume = try Self.sizedShare("full", size: 10)
        let atLimit = Int64(8) << 30
        let found = try Self.findings([(volume, Self.usage(volume, limit: 10 << 30, used: atLimit))])
        #expect(found.codes == ["share-over-soft-limit"] && found.first?.severity == .warning && found.first?.fixAction == nil)
        #expect(found.first?.message.contains("80 %") == true)
        // The volume holds 4: the fix extends to that, never past it; a share filling its
        // volume is told that it cannot grow there.
        #expect(found.first?.fix.contains("gshare share resize s-full 4") == true || found.first?.fix.contains("holds no more") == true, "\(found)")
        let small = try Self.sizedShare("small", size: 1)
        let room = try Self.findings([(small, Self.usage(small, limit: 1 << 30, used: 1 << 30))])
        #expect(room.first?.fix.contains("gshare share resize s-small 2") == true, "\(room)")
        let filled = try Self.sizedShare("filled", size: 4)
        let none = try Self.findings([(filled, Self.usage(filled, limit: 4 << 30, used: 4 << 30))])
        #expect(none.first?.fix.contains("holds no more (4 GiB)") == true, "\(none)")
        #expect(try Self.findings([(volume, Self.usage(volume, limit: 10 << 30, used: atLimit - 1))]).isEmpty)
    }

    @Test func quotadRefusedIsCriticalWhetherGlusterdSaysSoOrANodeCNIsMissing() throws {
        let refused = try Self.sizedShare("refused", size: 2)
        let said = try Self.findings([(refused, Self.usage(refused, limit: nil, used: nil, problem: "quotad-refused"))])
        #expect(said.codes == ["quotad-refused"] && said.first?.severity == .critical)
        let listless = try Self.sizedShare("listless", size: 2, ["auth.ssl-allow": "gshare-manager"])
        let node = NodeIdentity(host: "127.0.0.2", commonName: "gluster-node-1", problem: nil)
        let missing = try Self.findings([(listless, nil)], nodes: [node])
        #expect(missing.codes == ["quotad-refused"] && missing.first?.message.contains("gluster-node-1") == true)
    }

    @Test func aShareWithoutARecordedSizeIsInformationNotAnAlarm() throws {
        let old = try Self.sizedShare("old", size: nil)
        let found = try Self.findings([(old, nil)])
        #expect(found.codes == ["size-unknown"] && found.first?.severity == .info)
        #expect(found.first?.fix.contains("gshare share resize s-old") == true)
    }

    @Test func quotaOffIsKnownFromTheVolumeEvenWhenNothingElseCouldBeRead() throws {
        let off = try Self.sizedShare("off", size: 2, ["features.quota": nil])
        #expect(try Self.findings([(off, nil)]).codes == ["quota-missing"])
    }

    @Test func aShareWhoseUsageWasNotReadIsNotJudgedAndAFreeVolumeNever() throws {
        let unread = try Self.sizedShare("unread", size: 2)
        #expect(try Self.findings([(unread, nil)]).isEmpty)
        let failed = try Self.findings([(unread, Self.usage(unread, limit: nil, used: nil, problem: "glusterd-unreachable"))])
        #expect(failed.isEmpty)
        let free = try poolVolume("free")
        #expect(try Self.findings([(free, nil)]).isEmpty)
    }
}

/// The figures of a usage: free never below 0, the soft limit judged at its edge.
@Suite("VolumeUsage: free bytes and the soft limit")
struct VolumeUsageTests {
    @Test func freeIsNeverNegativeAndTheSoftLimitIsInclusive() {
        let over = VolumeUsage(volumeID: "v", shareID: "s", sizeBytes: 100, usedBytes: 130, softLimitPercent: 80, source: .quota, quotaEnabled: true, limitBytes: 100)
        #expect(over.freeBytes == 0 && over.overSoftLimit)
        let edge = VolumeUsage(volumeID: "v", shareID: "s", sizeBytes: 100, usedBytes: 80, softLimitPercent: 80, source: .quota, quotaEnabled: true, limitBytes: 100)
        #expect(edge.freeBytes == 20 && edge.overSoftLimit)
        let below = VolumeUsage(volumeID: "v", shareID: "s", sizeBytes: 100, usedBytes: 79, softLimitPercent: 80, source: .quota, quotaEnabled: true, limitBytes: 100)
        #expect(!below.overSoftLimit)
        let huge = VolumeUsage(
            volumeID: "v", shareID: "s", sizeBytes: Int64(1_048_576) << 30, usedBytes: Int64(1_048_576) << 30, softLimitPercent: 100, source: .quota,
            quotaEnabled: true, limitBytes: nil)
        #expect(huge.overSoftLimit && huge.freeBytes == 0)
        let unknown = VolumeUsage(volumeID: "v", shareID: "s", sizeBytes: 100, usedBytes: nil, softLimitPercent: 80, source: .none, quotaEnabled: false, limitBytes: nil)
        #expect(unknown.freeBytes == nil && !unknown.overSoftLimit)
    }
}

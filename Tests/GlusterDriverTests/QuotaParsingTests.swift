//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

/// `gluster volume quota` as the one-node lab answered it (fixtures/gluster-quota, recorded
/// by its `record`): limits and usage in bytes, quota off or without limits told apart from
/// failures, and enable/disable done twice harmless.
@Suite("Quota: recorded gluster volume quota outputs")
struct QuotaParsingTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/gluster-quota")

    static func recorded(_ name: String) throws -> GlusterCommandOutput {
        let status = try String(contentsOf: folder.appendingPathComponent("\(name).status"), encoding: .utf8)
        return GlusterCommandOutput(
            exitStatus: Int32(status.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
            standardOutput: try Data(contentsOf: folder.appendingPathComponent("\(name).xml")), standardError: "")
    }

    /// Answers every call with one recorded output.
    struct Replay: GlusterCommandRunner {
        let output: GlusterCommandOutput
        func run(_ arguments: [String]) async throws -> GlusterCommandOutput { output }
    }

    static func cli(_ name: String) throws -> GlusterCLI { GlusterCLI(runner: Replay(output: try recorded(name))) }

    @Test func aLimitOfTwoGiBOnTheRootListsItsBytesAndUsage() async throws {
        let listing = try await Self.cli("quota-list").quotaList("v")
        let limit = QuotaLimit(
            path: "/", hardLimitBytes: 2 << 30, softLimitPercent: 80, softLimitBytes: 1_717_986_918, usedBytes: 0, availableBytes: 2 << 30,
            softLimitExceeded: false, hardLimitExceeded: false)
        #expect(listing == .limits([limit]))
        #expect(try await Self.cli("quota-list.path").quotaList("v") == .limits([limit]))
        guard case .limits(let shrunk) = try await Self.cli("quota-list.shrunk").quotaList("v") else { Issue.record("no limits"); return }
        #expect(shrunk.map(\.hardLimitBytes) == [1 << 30])
    }

    @Test func quotaOffAndQuotaWithoutLimitsAreAnswersNotFailures() async throws {
        #expect(try await Self.cli("quota-list.disabled").quotaList("v") == .disabled)
        #expect(try await Self.cli("quota-list.no-limit").quotaList("v") == .limits([]))
    }

    @Test func enablingOrDisablingTwiceIsHarmless() async throws {
        for name in ["quota-enable", "quota-enable.again"] { try await Self.cli(name).quotaEnable("v") }
        for name in ["quota-disable", "quota-disable.again"] { try await Self.cli(name).quotaDisable("v") }
        try await Self.cli("quota-limit-usage").quotaLimitUsage("v", bytes: 2 << 30)
    }

    @Test func anUnknownVolumeAndAMissingFolderAreErrorsNamingThem() async throws {
        let unknown = await #expect(throws: GlusterDriverError.self) { _ = try await Self.cli("quota-list.nosuchvol").quotaList("gshare-no-such-volume") }
        #expect(unknown?.code == .unknownVolume)
        let missing = await #expect(throws: GlusterDriverError.self) {
            try await Self.cli("quota-limit-usage.no-such-dir").quotaLimitUsage("v", path: "/no-such-folder", bytes: 1 << 30)
        }
        #expect(missing?.code == .commandFailed && missing?.glusterMessage?.contains("/no-such-folder") == true)
        await #expect(throws: GlusterDriverError.self) { try await Self.cli("quota-limit-usage").quotaLimitUsage("v", bytes: 0) }
    }

    @Test func withQuotaOnTheVolumeInfoShowsTheTimeoutsAndDeemStatfs() throws {
        let info = try #require(try VolumeInfo.parse(try Self.recorded("volume-info.quota")).first)
        #expect(info.option("features.quota") == "on" && info.option("features.quota-deem-statfs") == "on")
        #expect(info.option("features.hard-timeout") == "0" && info.option("features.soft-timeout") == "0")
    }
}

/// Quota outputs recorded for share sizes (issue 14): a soft limit of its own, a limit
/// removed, quotad refused, and the bricks' capacity.
extension QuotaParsingTests {
    @Test func aSoftLimitGivenWithTheLimitIsReadBack() async throws {
        guard case .limits(let limits) = try await Self.cli("quota-list.soft").quotaList("v") else { Issue.record("no limits"); return }
        #expect(limits.map(\.softLimitPercent) == [70] && limits.map(\.hardLimitBytes) == [2 << 30])
        try await Self.cli("quota-limit-usage.soft").quotaLimitUsage("v", bytes: 2 << 30, softLimitPercent: 70)
    }

    @Test func aRemovedLimitLeavesQuotaOnWithoutLimits() async throws {
        #expect(try await Self.cli("quota-list.removed").quotaList("v") == .limits([]))
    }

    @Test func quotadRefusedIsItsOwnErrorNamingTheCause() async throws {
        for name in ["quota-list.node-cn-missing", "quota-limit-usage.node-cn-missing"] {
            let error = await #expect(throws: GlusterDriverError.self) {
                if name.hasPrefix("quota-list") {
                    _ = try await Self.cli(name).quotaList("v")
                } else {
                    try await Self.cli(name).quotaLimitUsage("v", bytes: 1 << 30)
                }
            }
            #expect(error?.code == .quotadRefused, "\(name)")
            #expect(error?.message.contains("auth.ssl-allow") == true && error?.glusterMessage == "Failed to start aux mount", "\(name)")
        }
    }

    @Test func aLimitOrSoftLimitOutOfRangeIsNeverSent() async throws {
        let cli = try Self.cli("quota-limit-usage")
        await #expect(throws: GlusterDriverError.self) { try await cli.quotaLimitUsage("v", bytes: 0) }
        await #expect(throws: GlusterDriverError.self) { try await cli.quotaLimitUsage("v", bytes: 1 << 30, softLimitPercent: 0) }
        await #expect(throws: GlusterDriverError.self) { try await cli.quotaLimitUsage("v", bytes: 1 << 30, softLimitPercent: 101) }
    }

    @Test func theBricksCapacityIsReadFromVolumeStatusDetail() async throws {
        let capacity = try await Self.cli("volume-status-detail").volumeCapacity("gshare-pool-06-5G")
        #expect(capacity.volume == "gshare-pool-06-5G" && capacity.bricks.count == 1)
        let brick = try #require(capacity.bricks.first)
        #expect(brick.brick == "127.0.0.2:/var/tmp/gshare-lab/bricks/gshare-pool-06-5G" && brick.totalBytes > brick.freeBytes && brick.freeBytes > 0)
        let info = VolumeInfo(name: "gshare-pool-06-5G", status: .started, bricks: [brick.brick])
        #expect(capacity.totals(of: info)?.totalBytes == brick.totalBytes && capacity.totals(of: info)?.freeBytes == brick.freeBytes)
    }
}

/// What a volume holds, from its bricks: a replica set holds what its smallest brick holds, a
/// distributed volume the sum of its sets; a set with no brick reported makes it unknown.
@Suite("VolumeCapacity: replica sets and bricks down")
struct VolumeCapacityTests {
    static func brick(_ name: String, _ total: Int64, _ free: Int64) -> VolumeCapacity.Brick {
        VolumeCapacity.Brick(brick: name, totalBytes: total, freeBytes: free)
    }

    @Test func aReplicaSetHoldsWhatItsSmallestBrickHoldsAndSetsAddUp() {
        let info = VolumeInfo(name: "v", status: .started, bricks: ["a:/b1", "b:/b1", "c:/b1", "a:/b2", "b:/b2", "c:/b2"], replicaCount: 3)
        let capacity = VolumeCapacity(
            volume: "v", bricks: [Self.brick("a:/b1", 100, 50), Self.brick("b:/b1", 90, 60), Self.brick("c:/b1", 120, 40), Self.brick("a:/b2", 10, 5), Self.brick("b:/b2", 10, 5), Self.brick("c:/b2", 10, 5)])
        let totals = capacity.totals(of: info)
        #expect(totals?.totalBytes == 100 && totals?.freeBytes == 45)
    }

    @Test func aBrickDownIsLeftOutButAWholeSetDownMakesItUnknown() {
        let info = VolumeInfo(name: "v", status: .started, bricks: ["a:/b", "b:/b", "c:/b"], replicaCount: 3)
        #expect(VolumeCapacity(volume: "v", bricks: [Self.brick("b:/b", 80, 20), Self.brick("c:/b", 70, 30)]).totals(of: info)?.totalBytes == 70)
        #expect(VolumeCapacity(volume: "v", bricks: []).totals(of: info) == nil)
    }
}

/// While the node's quotad restarts (glusterd restarts it whenever quota is turned on or off
/// on any volume), `volume quota VOLUME list` answers nothing with exit status 1 (seen on the
/// lab and the cluster): gshare asks again (1 to 4 s apart, 16 s in all), then says so.
@Suite("Quota figures while quotad restarts")
struct QuotaRestartTests {
    /// Answers nothing `silent` times, then the recorded list.
    actor Restarting: GlusterCommandRunner {
        var silent: Int
        var calls = 0
        init(silent: Int) { self.silent = silent }
        func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
            calls += 1
            guard calls > silent else { return GlusterCommandOutput(exitStatus: 1, standardOutput: Data(), standardError: "") }
            return try QuotaParsingTests.recorded("quota-list")
        }
    }

    static let quick: [Duration] = Array(repeating: .milliseconds(10), count: 4)

    @Test func aListThatAnswersAfterTwoSilencesIsRead() async throws {
        let runner = Restarting(silent: 2)
        let listing = try await ShareDriver(config: GShareConfig(systemCNs: [])).quotaList(GlusterCLI(runner: runner), "v", delays: Self.quick)
        guard case .limits(let limits) = listing else { Issue.record("no limits"); return }
        #expect(limits.map(\.hardLimitBytes) == [2 << 30])
        #expect(await runner.calls == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func endlessSilenceIsQuotaUnavailableSayingWhyAndWhatToDo() async throws {
        let runner = Restarting(silent: 100)
        let error = await #expect(throws: GlusterDriverError.self) {
            _ = try await ShareDriver(config: GShareConfig(systemCNs: [])).quotaList(GlusterCLI(runner: runner), "v", delays: Self.quick)
        }
        #expect(error?.code == .quotaUnavailable && error?.message.contains("quotad restarts") == true)
        #expect(await runner.calls == Self.quick.count + 1)
        // gshare's own patience: 16 s over 8 attempts.
        #expect(ShareDriver.quotaListRetryDelays.count == 7 && ShareDriver.quotaListRetryDelays.reduce(.zero, +) == .seconds(16))
    }
}

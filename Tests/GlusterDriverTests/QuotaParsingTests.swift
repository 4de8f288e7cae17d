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

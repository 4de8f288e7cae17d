//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

/// ``GlusterCLI`` over recorded real outputs: the argv each call sends, and what each
/// recorded answer becomes.
@Suite("GlusterCLI: typed calls over recorded gluster outputs")
struct GlusterCLIReplayTests {
    static let markedShareID = "1d160a88-f129-4e83-8b05-59da674c2c35"

    private func expectCode(_ code: GlusterDriverError.Code, _ body: () async throws -> Void) async {
        await #expect {
            try await body()
        } throws: { error in
            (error as? GlusterDriverError)?.code == code
        }
    }

    // MARK: volume get

    @Test("volume get auth.ssl-allow gives the list glusterd holds")
    func volumeGetReadsTheAllowList() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-ssl-allow.xml")
        let value = try await GlusterCLI(runner: runner).volumeGet("gshare-test-access", "auth.ssl-allow")
        #expect(value == "gluster-node-1,gshare-manager,tenant-a")
        #expect(runner.calls == [["volume", "get", "gshare-test-access", "auth.ssl-allow"]])
    }

    @Test("volume get of an allow list never set gives glusterd's bare '*'")
    func volumeGetOfTheDefaultAllowList() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-ssl-allow-plain.xml")
        #expect(try await GlusterCLI(runner: runner).volumeGet("gshare-plain", "auth.ssl-allow") == "*")
    }

    @Test("volume get of a set user.* mark gives its value")
    func volumeGetReadsAUserMark() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-user-mark.xml")
        #expect(try await GlusterCLI(runner: runner).volumeGet("gshare-pool-01-1G", ShareMarks.Key.share) == Self.markedShareID)
        #expect(runner.calls == [["volume", "get", "gshare-pool-01-1G", "user.gshare.share"]])
    }

    @Test("volume get of a user.* option never set (exit 2, opRet -2) is nil, not an error")
    func volumeGetOfAnUnsetUserOptionIsNil() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-user-unset.xml")
        #expect(try await GlusterCLI(runner: runner).volumeGet("gshare-test-access", "user.gshare.share") == nil)
        #expect(runner.calls == [["volume", "get", "gshare-test-access", "user.gshare.share"]])
    }

    @Test("volume get of an option that does not exist is a refused command, not nil")
    func volumeGetOfAnUnknownOptionFails() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-unknown-option.xml")
        await expectCode(.commandFailed) {
            _ = try await GlusterCLI(runner: runner).volumeGet("gshare-test-access", "no.such.option")
        }
        #expect(runner.calls == [["volume", "get", "gshare-test-access", "no.such.option"]])
    }

    @Test("volume get on a volume that does not exist fails with glusterd's words")
    func volumeGetOnAnUnknownVolumeFails() async throws {
        let runner = try ReplayingGlusterRunner("volume-get-nosuchvol.xml")
        await #expect {
            _ = try await GlusterCLI(runner: runner).volumeGet("nosuchvol", "auth.ssl-allow")
        } throws: { error in
            guard let error = error as? GlusterDriverError else { return false }
            return error.code == .commandFailed && error.glusterMessage?.contains("Volume nosuchvol does not exist") == true
        }
    }

    // MARK: volume set

    @Test("a successful volume set sends key and value as separate arguments")
    func volumeSetSucceeds() async throws {
        let runner = try ReplayingGlusterRunner("volume-set-user-share.xml")
        try await GlusterCLI(runner: runner).volumeSet(
            "gshare-pool-01-1G", [VolumeSetting(key: ShareMarks.Key.share, value: Self.markedShareID)])
        #expect(runner.calls == [["volume", "set", "gshare-pool-01-1G", "user.gshare.share", Self.markedShareID]])
    }

    @Test("several settings go into ONE volume set, in order")
    func volumeSetOfSeveralSettingsIsOneCall() async throws {
        let runner = try ReplayingGlusterRunner("volume-set-multi-none.xml")
        try await GlusterCLI(runner: runner).volumeSet(
            "gshare-pool-01-1G",
            [VolumeSetting(key: ShareMarks.Key.share, value: ShareMarks.none), VolumeSetting(key: ShareMarks.Key.name, value: ShareMarks.none)])
        #expect(runner.calls == [["volume", "set", "gshare-pool-01-1G", "user.gshare.share", "NONE", "user.gshare.name", "NONE"]])
    }

    @Test(
        "a volume set glusterd refuses (exit 0, opRet -1) throws",
        arguments: [
            ("volume-set-nosuchvol.xml", "nosuchvol", VolumeSetting(key: "auth.ssl-allow", value: "tenant-a")),
            ("volume-set-unknown-option.xml", "gshare-test-stopped", VolumeSetting(key: "no.such.option", value: "x")),
            ("volume-set-bad-bool.xml", "gshare-test-stopped", VolumeSetting(key: "server.dynamic-auth", value: "notabool")),
        ])
    func volumeSetRefusedByGlusterdThrows(file: String, volume: String, setting: VolumeSetting) async throws {
        let runner = try ReplayingGlusterRunner(file)
        await #expect {
            try await GlusterCLI(runner: runner).volumeSet(volume, [setting])
        } throws: { error in
            guard let error = error as? GlusterDriverError else { return false }
            return error.code == .commandFailed && error.glusterErrno == 30800 && !(error.glusterMessage ?? "").isEmpty
        }
        #expect(runner.calls == [["volume", "set", volume, setting.key, setting.value]])
    }

    @Test("an empty value is refused before gluster runs")
    func volumeSetOfAnEmptyValueNeverRuns() async throws {
        let runner = try ReplayingGlusterRunner("volume-set-empty-value.txt")
        await expectCode(.runnerFailed) {
            try await GlusterCLI(runner: runner).volumeSet(
                "gshare-pool-01-1G", [VolumeSetting(key: ShareMarks.Key.share, value: "x"), VolumeSetting(key: ShareMarks.Key.name, value: "")])
        }
        await expectCode(.runnerFailed) {
            try await GlusterCLI(runner: runner).volumeSet("gshare-pool-01-1G", [])
        }
        #expect(runner.calls.isEmpty)
    }

    @Test("what the CLI prints for an empty value (a usage text, no XML) would not pass for success")
    func theRecordedEmptyValueRefusalIsNotSuccess() throws {
        let output = try VolumeInfoParsingTests.output("volume-set-empty-value.txt")
        #expect(output.exitStatus == 1)
        #expect(throws: GlusterDriverError.self) {
            _ = try GlusterCLIDocument(output, command: ["volume", "set", "gshare-pool-01-1G", "user.gshare.name", ""])
        }
    }

    // MARK: volume info

    @Test("volume info of one volume gives that volume and its marks")
    func volumeInfoOfOneVolume() async throws {
        let runner = try ReplayingGlusterRunner("volume-info-marked.xml")
        let info = try await GlusterCLI(runner: runner).volumeInfo(of: "gshare-pool-01-1G")
        #expect(info.name == "gshare-pool-01-1G")
        #expect(ShareMarks(options: info.options).shareID == Self.markedShareID)
        #expect(runner.calls == [["volume", "info", "gshare-pool-01-1G"]])
    }

    @Test("volume info of a volume that does not exist is unknown-volume")
    func volumeInfoOfAnUnknownVolume() async throws {
        let runner = try ReplayingGlusterRunner("volume-info-nosuchvol.xml")
        await expectCode(.unknownVolume) {
            _ = try await GlusterCLI(runner: runner).volumeInfo(of: "nosuchvol")
        }
        #expect(runner.calls == [["volume", "info", "nosuchvol"]])
    }

    @Test("volume info of one volume refuses an answer about several volumes")
    func volumeInfoOfOneVolumeRefusesAPoolWideAnswer() async throws {
        // A runner that answers `volume info X` with the whole lab's listing.
        struct WrongAnswer: GlusterCommandRunner {
            func run(_ arguments: [String]) async throws -> GlusterCommandOutput { try VolumeInfoParsingTests.output("volume-info-all.xml") }
        }
        await expectCode(.malformedOutput) {
            _ = try await GlusterCLI(runner: WrongAnswer()).volumeInfo(of: "gshare-pool-01-1G")
        }
    }

    @Test("volume info all asks for 'all' in one call")
    func volumeInfoAllIsOneCall() async throws {
        let runner = try ReplayingGlusterRunner("volume-info-all.xml")
        #expect(try await GlusterCLI(runner: runner).volumeInfo().count == 11)
        #expect(runner.calls == [["volume", "info", "all"]])
    }

    @Test("glusterd down (text on stdout, exit 1) is glusterd-unreachable")
    func glusterdDownIsUnreachable() async throws {
        let runner = try ReplayingGlusterRunner("volume-info-all.glusterd-down.txt")
        await expectCode(.glusterdUnreachable) {
            _ = try await GlusterCLI(runner: runner).volumeInfo()
        }
    }
}

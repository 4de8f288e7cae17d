//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

/// The one volume of a recorded `volume info VOLUME`.
func recordedVolume(_ file: String) throws -> VolumeInfo {
    let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output(file))
    try #require(volumes.count == 1, "\(file) should describe one volume")
    return volumes[0]
}

@Suite("ShareMarks: the share state kept in user.gshare.* options")
struct ShareMarksTests {
    // MARK: Reading recorded volumes

    @Test("a recorded marked volume holds share 1d160a88… called demo and is not free")
    func markedVolumeIsNotFree() throws {
        let marks = ShareMarks(options: try recordedVolume("volume-info-marked.xml").options)
        #expect(marks.shareID == "1d160a88-f129-4e83-8b05-59da674c2c35")
        #expect(marks.name == "demo")
        #expect(!marks.isFree)
        #expect(marks.unknownState == nil)
    }

    @Test(
        "a recorded cleared volume (marks valued NONE) is free, whatever order glusterd lists the options in",
        arguments: ["volume-info-cleared.xml", "volume-info-cleared.after-restart.xml"])
    func clearedVolumeIsFree(file: String) throws {
        let info = try recordedVolume(file)
        #expect(info.option(ShareMarks.Key.share) == ShareMarks.none)
        let marks = ShareMarks(options: info.options)
        #expect(marks == ShareMarks())
        #expect(marks.isFree)
    }

    @Test("the two recordings of the cleared volume list their options in different orders and read the same")
    func clearedRecordingsDifferOnlyInOrder() throws {
        func optionNames(_ file: String) throws -> [String] {
            let text = try String(contentsOf: VolumeInfoParsingTests.folder.appendingPathComponent(file), encoding: .utf8)
            return text.components(separatedBy: "<option>").dropFirst().compactMap { chunk in
                chunk.range(of: "<name>").flatMap { start in
                    chunk.range(of: "</name>").map { end in String(chunk[start.upperBound..<end.lowerBound]) }
                }
            }
        }
        let before = try optionNames("volume-info-cleared.xml")
        let after = try optionNames("volume-info-cleared.after-restart.xml")
        #expect(before != after && before.sorted() == after.sorted())
        #expect(
            ShareMarks(options: try recordedVolume("volume-info-cleared.xml").options)
                == ShareMarks(options: try recordedVolume("volume-info-cleared.after-restart.xml").options))
    }

    // MARK: State

    @Test("an unknown state is kept, and the volume is not free even without a share id")
    func unknownStateIsNotFree() {
        let marks = ShareMarks(options: [ShareMarks.Key.state: "frozen-by-v2", ShareMarks.Key.share: ShareMarks.none])
        #expect(marks.state == nil)
        #expect(marks.unknownState == "frozen-by-v2")
        #expect(!marks.isFree)
    }

    @Test("needs-wipe without a share id is not free")
    func needsWipeIsNotFree() {
        let marks = ShareMarks(options: [ShareMarks.Key.state: "needs-wipe"])
        #expect(marks.state == .needsWipe)
        #expect(marks.unknownState == nil)
        #expect(!marks.isFree)
    }

    @Test("blank and NONE values read as unset", arguments: ["", "   ", "NONE", " NONE "])
    func blankValuesAreUnset(value: String) {
        let keys = [ShareMarks.Key.share, ShareMarks.Key.name, ShareMarks.Key.created, ShareMarks.Key.state, ShareMarks.Key.granted, ShareMarks.Key.deleted]
        let marks = ShareMarks(options: Dictionary(uniqueKeysWithValues: keys.map { ($0, value) }))
        #expect(marks == ShareMarks())
        #expect(marks.isFree)
    }

    @Test("'none' in lower case is a value, not the sentinel")
    func onlyUpperCaseNONEIsTheSentinel() {
        #expect(ShareMarks(options: [ShareMarks.Key.name: "none"]).name == "none")
    }

    // MARK: Writing

    @Test("cleared marks write every key, each as NONE")
    func clearedSettingsWriteNONEForEveryKey() {
        let settings = ShareMarks().settings
        #expect(
            Set(settings.map(\.key)) == [
                "user.gshare.share", "user.gshare.name", "user.gshare.created", "user.gshare.state", "user.gshare.granted", "user.gshare.deleted",
                "user.gshare.size", "user.gshare.project", "user.gshare.failure",
            ])
        #expect(settings.count == 9)
        #expect(settings.allSatisfy { $0.value == "NONE" })
    }

    @Test("set marks write their values and NONE for the rest, never an empty value")
    func partialSettingsNeverWriteEmptyValues() {
        let marks = ShareMarks(shareID: "id-1", state: .active)
        let values = Dictionary(uniqueKeysWithValues: marks.settings.map { ($0.key, $0.value) })
        #expect(
            values == [
                "user.gshare.share": "id-1", "user.gshare.name": "NONE", "user.gshare.created": "NONE", "user.gshare.state": "active",
                "user.gshare.granted": "NONE", "user.gshare.deleted": "NONE", "user.gshare.size": "NONE", "user.gshare.project": "NONE",
                "user.gshare.failure": "NONE",
            ])
        #expect(marks.settings.allSatisfy { !$0.value.isEmpty })
    }

    @Test("a failure is written without spaces (the gluster CLI strips them), cut to the limit, and read back as written")
    func failureMarksAreEncodedAndBounded() {
        let setting = ShareMarks.failureSetting("a b,c%d")
        #expect(!setting.value.contains(" ") && !setting.value.contains(","))
        #expect(ShareMarks(options: [ShareMarks.Key.failure: setting.value]).failure == "a b,c%d")
        let long = ShareMarks.failureSetting(String(repeating: "ünïcode ", count: 400))
        #expect(long.value.utf8.count <= ShareMarks.failureLimit)
        #expect(ShareMarks(options: [ShareMarks.Key.failure: long.value]).failure?.hasPrefix("ünïcode ünïcode") == true)
        #expect(ShareMarks.failureSetting(nil).value == "NONE")
    }

    @Test("a project mark that is not a project ID belongs to no project anyone can name")
    func invalidProjectMarksMatchNoProject() {
        #expect(ShareMarks(options: [ShareMarks.Key.project: "p1"]).project == "p1")
        let odd = ShareMarks(options: [ShareMarks.Key.project: "../etc"]).project
        #expect(odd != nil && !ProjectID.isValid(odd ?? ""))
    }

    @Test("marks written then read back are the same marks")
    func settingsRoundTrip() {
        let full = ShareMarks(
            shareID: "0a1b", name: "tenant-a.data", created: "2026-11-24T20:09:40Z", state: .needsWipe, granted: ["tenant-a", "tenant-b"],
            deletedShareID: "ffee", sizeGiB: 2, project: "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b")
        var failed = full
        failed.failure = "the wipe of 127.0.0.2:/vol did not finish: EIO, 100% (fix: run it again)"
        for marks in [full, failed, ShareMarks(), ShareMarks(shareID: "x", state: .active, granted: ["only-one"])] {
            let options = Dictionary(uniqueKeysWithValues: marks.settings.map { ($0.key, $0.value) })
            #expect(ShareMarks(options: options) == marks)
        }
    }

    @Test("the granted list round-trips through its setting, and an empty one is NONE")
    func grantedRoundTrip() {
        let setting = ShareMarks.grantedSetting(["tenant-a", "tenant-b", "tenant-c"])
        #expect(setting == VolumeSetting(key: "user.gshare.granted", value: "tenant-a,tenant-b,tenant-c"))
        #expect(ShareMarks(options: [setting.key: setting.value]).granted == ["tenant-a", "tenant-b", "tenant-c"])
        #expect(ShareMarks.grantedSetting([]) == VolumeSetting(key: "user.gshare.granted", value: "NONE"))
        #expect(ShareMarks(options: [setting.key: "NONE"]).granted == [])
    }

    // MARK: Share names

    @Test("names a person would type are valid", arguments: ["demo", "tenant-a.data", "a", "A_1", "x-", String(repeating: "n", count: 64), "none"])
    func goodNames(name: String) {
        #expect(ShareName.isValid(name))
    }

    @Test(
        "hostile or unusable names are refused",
        arguments: [
            "", "has space", " lead", "NONE", "-rf", ".hidden", String(repeating: "n", count: 65), "café", "名前", "a;b", "$(x)", "`id`",
            "a/b", "../x", "a,b", "tab\there", "new\nline", "nul\0", "a=b",
        ])
    func hostileNames(name: String) {
        #expect(!ShareName.isValid(name))
    }
}

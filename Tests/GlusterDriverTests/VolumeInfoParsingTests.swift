//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import GlusterDriver

/// `volume info --xml` parsing, over outputs recorded from the real lab (fixtures/gluster,
/// recorded by fixtures/gluster/record).
@Suite("VolumeInfo: parsing recorded gluster volume info outputs")
struct VolumeInfoParsingTests {
    struct Manifest: Decodable {
        struct Case: Decodable {
            let file: String
            let argv: [String]
            let exitCode: Int32
            let stderrFile: String?
        }

        let cases: [Case]
    }

    static let folder = repositoryRoot.appendingPathComponent("fixtures/gluster")

    /// The recorded output of one fixture case, as the runner would hand it over.
    static func output(_ file: String) throws -> GlusterCommandOutput {
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        let entry = try #require(manifest.cases.first { $0.file == file }, "\(file) is not in fixtures/gluster/manifest.json")
        let stderr = try entry.stderrFile.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) } ?? ""
        return GlusterCommandOutput(
            exitStatus: entry.exitCode, standardOutput: try Data(contentsOf: folder.appendingPathComponent(file)), standardError: stderr)
    }

    @Test func theWholeLabIsReadWithStatesBricksAndTLSOptions() throws {
        let volumes = try VolumeInfo.parse(Self.output("volume-info-all.xml"))
        let byName = Dictionary(uniqueKeysWithValues: volumes.map { ($0.name, $0) })
        #expect(volumes.count == 11)
        let pool = try #require(byName["gshare-pool-01-1G"])
        #expect(pool.status == .started)
        #expect(pool.bricks == ["127.0.0.2:/var/tmp/gshare-lab/bricks/gshare-pool-01-1G"])
        #expect(pool.option("server.ssl") == "on" && pool.option("client.ssl") == "on")
        #expect(pool.option("auth.ssl-allow") == "gluster-node-1,gshare-manager")
        #expect(UUID(uuidString: pool.id) != nil)
        #expect(byName["gshare-test-stopped"]?.status != .started)
        #expect(byName["gshare-plain"]?.option("server.ssl") == nil)
        #expect(byName["gshare-maybe"]?.option("server.ssl") == "maybe")
    }

    @Test func userMarksAreRead() throws {
        let volume = try #require(try VolumeInfo.parse(Self.output("volume-info-marked.xml")).first)
        #expect(volume.option("user.gshare.name") == "demo")
        #expect(UUID(uuidString: volume.option("user.gshare.share") ?? "") != nil)
        let cleared = try #require(try VolumeInfo.parse(Self.output("volume-info-cleared.xml")).first)
        #expect(cleared.option("user.gshare.share") == "NONE")
    }

    @Test func optionOrderAfterAGlusterdRestartDoesNotMatter() throws {
        let before = try VolumeInfo.parse(Self.output("volume-info-cleared.xml"))
        let after = try VolumeInfo.parse(Self.output("volume-info-cleared.after-restart.xml"))
        #expect(before.first?.options == after.first?.options)
    }

    @Test func anEmptyClusterHasNoVolumes() throws {
        #expect(try VolumeInfo.parse(Self.output("volume-info-all.empty.xml")).isEmpty)
    }

    @Test func anUnknownVolumeIsItsOwnError() throws {
        #expect {
            try VolumeInfo.parse(Self.output("volume-info-nosuchvol.xml"), command: ["volume", "info", "nosuchvol"])
        } throws: { error in
            guard let error = error as? GlusterDriverError else { return false }
            return error.code == .unknownVolume && error.glusterErrno == 30806 && error.glusterMessage == "Volume does not exist"
                && error.description.contains("gluster volume info nosuchvol")
        }
    }

    @Test func glusterdDownIsReportedWithoutXML() throws {
        #expect {
            try VolumeInfo.parse(Self.output("volume-info-all.glusterd-down.txt"))
        } throws: { ($0 as? GlusterDriverError)?.code == .glusterdUnreachable }
    }

    @Test func aControlByteInAnOptionValueSaysWhichCommandFailedAndWhatToLookFor() throws {
        let error = try #require(throws: GlusterDriverError.self) {
            try VolumeInfo.parse(Self.output("volume-info-all.control-char.txt"))
        }
        #expect(error.code == .malformedOutput)
        #expect(error.description.hasPrefix("gluster volume info all: glusterd could not write its XML: an option value holds a control character (byte 27)"))
        #expect(error.description.contains("`gluster volume info` (without --xml"))
    }

    @Test(arguments: [
        "", "  \n", "not xml at all", "<?xml version=\"1.0\"?><cliOutput><opRet>0</opRet></cliOutput>",
        "<?xml version=\"1.0\"?><other/>", "<?xml version=\"1.0\"?><cliOutput><opRet>0</opRet><volInfo><volumes><volume><statusStr>Started</statusStr></volume></volumes></volInfo></cliOutput>",
        "<?xml version=\"1.0\"?><cliOutput><opRet>0</opRet><volInfo><volumes><volume><name>v</name><statusStr>Exploded</statusStr></volume></volumes></volInfo></cliOutput>",
        "<?xml version=\"1.0\"?><cliOutput><opRet>0</opRet><volInfo><volumes><volume><name>v</name>",
    ])
    func outputThatIsNotVolumeInfoIsRefusedNotGuessed(_ text: String) {
        #expect {
            try VolumeInfo.parse(GlusterCommandOutput(exitStatus: 0, standardOutput: Data(text.utf8), standardError: ""))
        } throws: { ($0 as? GlusterDriverError)?.code == .malformedOutput }
    }

    @Test func aRefusedCommandCarriesGlusterdsWords() throws {
        let text = "<?xml version=\"1.0\"?><cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>Another transaction is in progress</opErrstr></cliOutput>"
        #expect {
            try VolumeInfo.parse(GlusterCommandOutput(exitStatus: 0, standardOutput: Data(text.utf8), standardError: ""))
        } throws: { error in
            (error as? GlusterDriverError)?.code == .commandFailed && "\(error)".contains("Another transaction is in progress")
        }
    }
}

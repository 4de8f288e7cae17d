//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import GlusterDriver
import Testing

@Suite("VolumePattern selects pool volumes by whole name and reads their size")
struct VolumePatternTests {
    @Test func manilasExampleExtractsTheSize() throws {
        let pattern = try VolumePattern(#"manila-share-volume-#{size}G-\d+"#)
        #expect(pattern.match("manila-share-volume-1G-17") == VolumePatternMatch(sizeGB: 1))
        #expect(pattern.match("manila-share-volume-250G-3") == VolumePatternMatch(sizeGB: 250))
        #expect(pattern.match("manila-share-volume-G-3") == nil)
        #expect(pattern.match("manila-share-volume-1G-") == nil)
        #expect(pattern.description == #"manila-share-volume-#{size}G-\d+"#)
    }

    @Test func theWholeNameMustMatch() throws {
        let pattern = try VolumePattern("gshare-pool-#{size}G")
        #expect(pattern.match("gshare-pool-1G") == VolumePatternMatch(sizeGB: 1))
        #expect(pattern.match("x-gshare-pool-1G") == nil)
        #expect(pattern.match("gshare-pool-1G-x") == nil)
        #expect(pattern.match("gshare-pool-1Gx") == nil)
    }

    @Test func anchorsWrittenAnywayDoNoHarm() throws {
        let pattern = try VolumePattern("^gshare-pool-#{size}G$")
        #expect(pattern.match("gshare-pool-10G") == VolumePatternMatch(sizeGB: 10))
        #expect(pattern.match("a-gshare-pool-10G") == nil)
    }

    @Test func aPatternWithoutSizeMatchesWithoutOne() throws {
        let pattern = try VolumePattern(#"pool-\d{2}"#)
        #expect(pattern.match("pool-07") == VolumePatternMatch(sizeGB: nil))
        #expect(pattern.match("pool-007") == nil)
    }

    @Test func theUsersOwnGroupsDoNotShiftTheSize() throws {
        let pattern = try VolumePattern("(eu|us)-(a|b)-#{size}G")
        #expect(pattern.match("eu-b-42G") == VolumePatternMatch(sizeGB: 42))
    }

    @Test func sizesThatAreNotSizesAreNotPoolVolumes() throws {
        let pattern = try VolumePattern("p-#{size}G")
        #expect(pattern.match("p-0G") == nil)
        #expect(pattern.match("p-99999999999999999999999G") == nil)
    }

    @Test func digitClassesAreASCIIOnly() throws {
        let pattern = try VolumePattern(#"p-\d+"#)
        #expect(pattern.match("p-١٢") == nil)
    }

    static let badPatterns: [(String, String)] = [
        ("", "empty"), ("a-#{size}-#{size}", "appears 2 times"), ("a-#{name}", "only placeholder"), ("a-(#{size}", "not a valid regular expression"),
    ]

    @Test(arguments: badPatterns)
    func badPatternsAreRefused(_ source: String, _ phrase: String) throws {
        let error = try #require(configError { try VolumePattern(source) })
        #expect(error.code == .invalidVolumePattern)
        #expect(error.message.contains(phrase), "\(error)")
    }
}

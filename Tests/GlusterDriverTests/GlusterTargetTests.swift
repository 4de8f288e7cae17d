//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import Testing

@Suite("GlusterServer and GlusterTarget parse Manila's [user@]host:/volume strictly")
struct GlusterTargetTests {
    /// Hostile target texts, each with a phrase its refusal must contain.
    static let hostileTargets: [(String, String)] = [
        ("", "it is empty"), ("gluster1:vol", "no \":/\""), ("a b:/v", "a space"), ("h;x:/v", "';'"), ("$(id)@h:/v", "'$'"),
        ("h:/`id`", "'`'"), ("h:/v\"", "'\"'"), ("h:/v\nx", "line break"), ("h:/v\0", "NUL"), ("h:/../v", "\"..\""),
        ("-oX:/v", "host starts with '-'"), ("-l@h:/v", "user starts with '-'"), ("h:/-v", "volume name starts with '-'"),
        ("u@h:0:/v", "1 to 65535"), ("u@h:70000:/v", "1 to 65535"), ("u@h:x:/v", "1 to 65535"), ("u@[::1:/v", "no ']'"),
        ("::1]:/v", "no '['"), ("a@b@h:/v", "2 '@'"), ("hé:/v", "non-ASCII"), ("h:2222:/v", "no user@"), ("fe80::1:/v", "brackets"),
        ("h:/v.1", "'.'"), ("h:/" + String(repeating: "v", count: 65), "at most 64"), ("h:/force", "does not allow"),
    ]

    @Test func aLocalTargetHasNoUserAndRunsLocally() throws {
        let target = try GlusterTarget(parsing: "gluster1:/manila-share-1")
        #expect(target.server == GlusterServer(user: nil, host: "gluster1", port: nil))
        #expect(target.server.runsLocally)
        #expect(target.volume == "manila-share-1")
        #expect(target.exportLocation == "gluster1:/manila-share-1")
    }

    @Test func aRemoteTargetKeepsItsUserAndSSHPort() throws {
        let target = try GlusterTarget(parsing: "root@gluster1.example.com:2222:/share_7")
        #expect(target.server == GlusterServer(user: "root", host: "gluster1.example.com", port: 2222))
        #expect(!target.server.runsLocally)
        #expect(target.volume == "share_7")
        #expect(target.exportLocation == "gluster1.example.com:/share_7")
    }

    @Test func ipv6TargetsAreWrittenInBracketsAndExportedInBrackets() throws {
        let loopback = try GlusterTarget(parsing: "[::1]:/vol")
        #expect(loopback.server == GlusterServer(user: nil, host: "::1", port: nil))
        #expect(loopback.exportLocation == "[::1]:/vol")
        #expect(loopback.description == "[::1]:/vol")

        let linkLocal = try GlusterTarget(parsing: "user@[fe80::1]:2222:/vol")
        #expect(linkLocal.server == GlusterServer(user: "user", host: "fe80::1", port: 2222))
        #expect(linkLocal.exportLocation == "[fe80::1]:/vol")
        #expect(linkLocal.description == "user@[fe80::1]:2222:/vol")
    }

    @Test func ipv4HostsAreAccepted() throws {
        let target = try GlusterTarget(parsing: "admin@10.0.0.5:/pool-01")
        #expect(target.server.host == "10.0.0.5")
    }

    @Test func hostNamesAreCompareLowercased() throws {
        #expect(try GlusterTarget(parsing: "Gluster1:/v") == GlusterTarget(parsing: "gluster1:/v"))
    }

    @Test(arguments: [
        "gluster1:/v", "root@gluster1:/v", "root@gluster1:22:/v", "[::1]:/v", "u@[fe80::1]:2222:/v", "a.b-c.d:/x_y-z",
        "u.name_1@10.1.2.3:65535:/V",
    ])
    func theDescriptionParsesBackToTheSameTarget(_ text: String) throws {
        let target = try GlusterTarget(parsing: text)
        #expect(target.description == text)
        #expect(try GlusterTarget(parsing: target.description) == target)
    }

    @Test(arguments: ["gluster1", "root@gluster1", "root@gluster1:2222", "[::1]", "root@[fe80::1]:2222", "10.0.0.5"])
    func serversParseAndPrintBack(_ text: String) throws {
        let server = try GlusterServer(parsing: text)
        #expect(server.description == text)
    }

    @Test(arguments: hostileTargets)
    func hostileTargetsAreRefusedWithTheReason(_ text: String, _ phrase: String) throws {
        let error = try #require(configError { try GlusterTarget(parsing: text) }, "\(text) was accepted")
        #expect(error.code == .invalidTarget)
        #expect(error.message.contains(phrase), "\(error)")
        #expect(!error.hint.isEmpty)
    }

    @Test func aServerWithAVolumeIsRefusedAsAServer() throws {
        let error = try #require(configError { try GlusterServer(parsing: "root@gluster1:/v") })
        #expect(error.code == .invalidServer)
        #expect(error.message.contains("glusterfs_targets"))
    }

    @Test func targetsEncodeAsTheirTextForm() throws {
        let targets = [try GlusterTarget(parsing: "root@[fe80::1]:2222:/v"), try GlusterTarget(parsing: "g:/w")]
        let json = String(decoding: try JSONEncoder().encode(targets), as: UTF8.self)
        #expect(json == #"["root@[fe80::1]:2222:\/v","g:\/w"]"#)
        #expect(try JSONDecoder().decode([GlusterTarget].self, from: Data(json.utf8)) == targets)
        #expect(throws: (any Error).self) { try JSONDecoder().decode([GlusterTarget].self, from: Data(#"["h;x:/v"]"#.utf8)) }
    }

    @Test func volumeNamesFollowGlusterFSsRule() {
        #expect(GlusterTarget.problem(withVolumeName: "manila-share-volume-1G-17") == nil)
        #expect(GlusterTarget.problem(withVolumeName: "A_b-9") == nil)
        #expect(GlusterTarget.problem(withVolumeName: String(repeating: "v", count: 64)) == nil)
        for bad in ["", "-v", "a/b", "a.b", "a b", "all", "volume", "vé", String(repeating: "v", count: 65)] {
            #expect(GlusterTarget.problem(withVolumeName: bad) != nil, "\(bad)")
        }
    }
}

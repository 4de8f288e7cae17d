//===----------------------------------------------------------------------===//
// gshare — fuzz corpus tests
//===----------------------------------------------------------------------===//

import Foundation
@testable import GShareSSH
import GlusterDriver
import GShareTestSupport
@testable import GlusterFSAPI
import Testing

/// What the fuzzers found, one test per crash reproducer in `fixtures/fuzz/*/crashes/`
/// (which the corpus replay also runs): the exact input, and the behaviour now expected of
/// it and of its close relatives.
@Suite("Regressions found by fuzzing")
struct FuzzRegressionTests {
    // MARK: gluster-address

    /// `[127.0.0.]:/lG` was accepted: the bracketed host of a libgfapi address was only
    /// checked for hex digits, ':' and '.', not for being an IPv6 address (and
    /// `Character.isHexDigit` also takes fullwidth digits). It is now checked with
    /// `inet_pton`, as servers and targets already were.
    @Test func aBracketedHostMustBeAnIPv6Address() throws {
        let input = try #require(FuzzTarget.named("gluster-address")).crash("crash-e88707394bf8f48a55895988a3ec6ff0a0525ab0")
        #expect(String(decoding: input, as: UTF8.self) == "[127.0.0.]:/lG")
        for text in ["[127.0.0.]:/lG", "[.]:/v", "[:]:/v", "[::1::2]:/v", "[\u{FF10}]:/v", "[::\u{FF11}]:/v"] {
            #expect(throws: GlusterFSError.self, "\(text)") { try GlusterVolumeAddress(parsing: text) }
        }
        #expect(try GlusterVolumeAddress(parsing: "[::ffff:127.0.0.1]:24008:/v") == GlusterVolumeAddress(host: "::ffff:127.0.0.1", port: 24008, volume: "v"))
        #expect(try GlusterVolumeAddress(parsing: "[FD00::2]:/v").host == "FD00::2")
    }

    /// Found with it: ports were read with `Int(_:)`, which takes a sign (`h:+80:/v`), and a
    /// host of digits and dots was taken whether or not it is an IPv4 address.
    @Test func portsAreDigitsAndDottedHostsAreIPv4Addresses() throws {
        for text in ["h:+80:/v", "[::1]:+80:/v", "h:-1:/v", "h:080000:/v", "999.1.1.1:/v", "1.2.3:/v", "1.2.3.4.5:/v"] {
            #expect(throws: GlusterFSError.self, "\(text)") { try GlusterVolumeAddress(parsing: text) }
        }
        #expect(try GlusterVolumeAddress(parsing: "h:00080:/v").port == 80)
        #expect(try GlusterVolumeAddress(parsing: "10.0.0.5:/v").host == "10.0.0.5")
    }

    /// `127.0.0.1:24007:/--l1peo01-1G` was accepted: a volume name starting with '-', which
    /// GlusterFS's CLI refuses to create (cli_validate_volname), as gshare's targets do.
    @Test func aVolumeNameMayNotStartWithADash() throws {
        let input = try #require(FuzzTarget.named("gluster-address")).crash("crash-058546abc9abb242f867dc70d9fef665afa7acb6")
        let text = String(decoding: input, as: UTF8.self)
        #expect(text == "127.0.0.1:24007:/--l1peo01-1G")
        #expect(throws: GlusterFSError.self) { try GlusterVolumeAddress(parsing: text) }
        #expect(throws: GlusterFSError.self) { try GlusterVolumeAddress(parsing: "h:/-v") }
        #expect(try GlusterVolumeAddress(parsing: "h:/v-").volume == "v-")
    }

    // MARK: config

    /// Found while writing the config target's position check: with a byte order mark, an
    /// error about an array element on line 1 was one column to the right (the element
    /// positions counted the mark, which the TOML reader skips).
    @Test func elementPositionsOnTheFirstLineSkipAByteOrderMark() throws {
        let text = "glusterfs_targets = [\"bad\"]\nsystem_cns = [\"a\"]\n"
        for document in [text, "\u{FEFF}" + text] {
            do {
                _ = try GShareConfig.parse(document, source: "/fuzz/gshare.toml")
                Issue.record("accepted")
            } catch {
                #expect(error.code == .invalidTarget)
                #expect(error.line == 1 && error.column == 22, "\(error)")
            }
            #expect(DriverFuzzing.config(Array(document.utf8)).isEmpty)
        }
    }

    // MARK: worker-protocol

    /// A result line whose wipe report's `elapsedSeconds` no `Duration` in milliseconds
    /// holds (`1e300`, and anything above Int64.max / 1000 seconds) trapped the parent in
    /// `Int64(_:)`: the report now refuses it as a protocol error, like any line it cannot read.
    @Test(arguments: ["1e300", "-1e300", "9300000000000000", "-1", "31622401"])
    func aWipeReportWhoseElapsedTimeIsNoDurationIsAProtocolError(_ seconds: String) throws {
        let line = #"{"event":"result","outcome":"ok","wipeReport":{"removed":{"files":1,"directories":0,"others":0,"bytes":0,"alreadyGone":0,"failures":0},"preserved":[],"failureSamples":[],"elapsedSeconds":"#
            + seconds + "}}"
        let lines = WorkerLines { _ in }
        lines.handle(ArraySlice(line.utf8))
        #expect(lines.result == nil)
        #expect(lines.protocolError?.hasPrefix("not a protocol line") == true)
        #expect(WorkerProtocolFuzzing.fuzzOne(Array(line.utf8)).isEmpty)
    }

    @Test func aWipeReportWithARealElapsedTimeStillReads() throws {
        let json = #"{"removed":{"files":1,"directories":0,"others":0,"bytes":0,"alreadyGone":0,"failures":0},"preserved":[],"failureSamples":[],"elapsedSeconds":31622400}"#
        let report = try JSONDecoder().decode(WipeReport.self, from: Data(json.utf8))
        #expect(report.elapsed == .seconds(31_622_400))
    }

    /// The worker computed its deadline the same way (`Int64(deadlineSeconds * 1000)`):
    /// a request whose deadline is not 0 to a year of seconds is now refused when it is
    /// read, and the parent never writes one (a longer deadline is a year).
    @Test(arguments: ["1e300", "-0.5", "9300000000000000", "31622401"])
    func aRequestWhoseDeadlineIsNoDurationIsRefused(_ seconds: String) {
        let json = #"{"protocolVersion":1,"connection":{"address":{"host":"h","port":24007,"volume":"v"},"transport":"followVolume"},"operation":{"kind":"statvfs"},"deadlineSeconds":"#
            + seconds + "}"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkerRequest.self, from: Data(json.utf8)) }
        #expect(WorkerProtocolFuzzing.fuzzOne(Array(json.utf8)).isEmpty)
    }

    @Test func theParentNeverWritesADeadlineNoDurationHolds() throws {
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "h", volume: "v"), identity: nil)
        let request = WorkerRequest(connection: connection, operation: .statvfs(path: "/"), deadlineSeconds: 1e300)
        #expect(request.deadlineSeconds == WorkerRequest.longestRun)
        #expect(request.deadline == .seconds(Int64(WorkerRequest.longestRun)))
        let again = try JSONDecoder().decode(WorkerRequest.self, from: JSONEncoder().encode(request))
        #expect(again == request)
        let short = WorkerRequest(connection: connection, operation: .statvfs(path: "/"), deadlineSeconds: 1.5)
        #expect(short.deadline == .milliseconds(1500))
    }

    // MARK: known-hosts

    /// A known_hosts file with CRLF line ends was read as one line: Swift's `Character`
    /// splits `\r\n` as one character, so splitting on `"\n"` never split it, and the first
    /// entry's key ran on into the next lines. OpenSSH reads such a file like its LF twin;
    /// gshare now reads it by code point, carriage returns before the line feed belonging to
    /// the line end.
    @Test func aKnownHostsFileWithCRLFLineEndsReadsLikeItsLFTwin() throws {
        let input = try #require(FuzzTarget.named("known-hosts")).crash("crash-b94806711c277a309de463e867c35d093060aa73")
        let text = String(decoding: input, as: UTF8.self)
        #expect(text.contains("\r\n"))
        let entries = KnownHostsFile.entries(in: text)
        let unix = KnownHostsFile.entries(in: text.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(entries.count == 3)
        #expect(entries.map(\.line) == [1, 2, 3])
        #expect(entries.map(\.hosts) == unix.map(\.hosts))
        #expect(entries.map(\.key) == unix.map(\.key))
        #expect(entries.map(\.key.type) == ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"])
    }

    /// The consequence for `gshare ssh trust`: adding a key a CRLF file already records for
    /// the host is a no-op (it was refused as a changed key), and the key types recorded
    /// there are found.
    @Test func addingAKeyACRLFFileAlreadyHoldsChangesNothing() throws {
        let input = try #require(FuzzTarget.named("known-hosts")).crash("crash-b94806711c277a309de463e867c35d093060aa73")
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("known_hosts").path
        try Data(input).write(to: URL(fileURLWithPath: path))
        let recorded = try #require(KnownHostsFile.entries(in: String(decoding: input, as: UTF8.self)).first)
        try KnownHostsFile.add(recorded.key, host: "gluster1", port: 22, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(input))
        #expect(KnownHostsFile.knownKeyTypes(host: "127.0.0.2", port: 2222, path: path) == ["ecdsa-sha2-nistp256"])
        #expect(KnownHostsFile.knownKeyTypes(host: "10.0.0.5", port: 22, path: path) == ["ssh-rsa"])
        // A new host goes on the next line, without a blank one before it (a file ending in
        // CRLF does end in a line feed).
        try KnownHostsFile.add(recorded.key, host: "gluster9", port: 22, to: path)
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after == Data(input) + Data("gluster9 \(recorded.key.type) \(recorded.key.base64)\n".utf8))
    }
}

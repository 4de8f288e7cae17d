//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

@testable import gshare

/// `gshare access test` against the real TLS GlusterFS lab (scripts/gluster-lab up).
@Suite("gshare access test, against the real lab", .serialized)
struct AccessCommandTests {
    typealias Identity = LabDescription.Identity
    typealias Lab = LabDescription

    static func accessTest(_ volume: String, as identity: Identity, _ extra: String...) async throws -> ProcessResult {
        try await runProcess(
            EndToEndTests.binary,
            ["access", "test", volume, "--cert", identity.cert, "--key", identity.key, "--ca", identity.ca] + extra)
    }

    @Test(.timeLimit(.minutes(1)))
    func aListedTenantIsAllowedAndExitsZero() async throws {
        try await withExclusiveUse(of: try Lab.load().volume("access")) {
            let lab = try Lab.load()
            let result = try await Self.accessTest("\(lab.host):/\(try lab.volume("access"))", as: try lab.identity(named: "tenant-a"))
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.hasPrefix("\"tenant-a\" on \(lab.host):/\(try lab.volume("access")): ALLOWED"))
            #expect(!result.stdout.contains("ADMITS ANYONE"))
            // The volume enforces TLS: the attempt without a certificate was turned away.
            let json = try await Self.accessTest("\(lab.host):/\(try lab.volume("access"))", as: try lab.identity(named: "tenant-a"), "--json")
            #expect(json.status == 0, "\(json.stdout) \(json.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(document["admitsAnyone"] as? Bool == false)
            #expect((document["anyone"] as? [String: Any])?["outcome"] as? String == "tlsRejected")
            #expect(document["verdict"] as? String == "ok")
        }
    }

    /// A volume with TLS off lets anyone in, in plain text: the certificate is never checked.
    /// "ALLOWED" alone would make an admin believe it was; the test says loudly that it was not.
    @Test(.timeLimit(.minutes(1)))
    func aVolumeWithTLSOffAdmitsAnyoneAndSaysSoLoudlyWithExitStatusThree() async throws {
        let lab = try Lab.load()
        let volume = "\(lab.host):/\(try lab.volume("plain"))"
        // tenant-b is in no list at all.
        let result = try await Self.accessTest(volume, as: try lab.identity(named: "tenant-b"))
        #expect(result.status == 4, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.hasPrefix("\"tenant-b\" on \(volume): ADMITS ANYONE — TLS is off on this volume"), "\(result.stdout)")
        #expect(result.stdout.contains("WITHOUT ANY CERTIFICATE"))
        #expect(result.stdout.contains("never checked this certificate"))
        #expect(result.stdout.contains("fix: turn TLS on for \(try lab.volume("plain"))"))
        #expect(result.stdout.contains("this identity: ALLOWED"))

        let json = try await Self.accessTest(volume, as: try lab.identity(named: "tenant-b"), "--json")
        #expect(json.status == 4, "\(json.stdout) \(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["admitsAnyone"] as? Bool == true)
        #expect(document["allowed"] as? Bool == true)
        #expect(document["verdict"] as? String == "refused")
        #expect((document["anyone"] as? [String: Any])?["outcome"] as? String == "ok")
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnlistedTenantIsRefusedQuicklyAndExitsOne() async throws {
        try await withExclusiveUse(of: try Lab.load().volume("access")) {
            let lab = try Lab.load()
            let start = Date()
            let result = try await Self.accessTest("\(lab.host):/\(try lab.volume("access"))", as: try lab.identity(named: "tenant-b"), "--json")
            #expect(Date().timeIntervalSince(start) < 19)  // before the 20 s deadline (outcome: refused, not timed out)
            #expect(result.status == 1)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(document["outcome"] as? String == "refusedByAuthAllow")
            #expect(document["allowed"] as? Bool == false)
            #expect(document["commonName"] as? String == "tenant-b")
            #expect(document["admitsAnyone"] as? Bool == false)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aStoppedVolumeRefusesAndSaysSo() async throws {
        let lab = try Lab.load()
        let result = try await Self.accessTest("\(lab.host):/\(try lab.volume("stopped"))", as: try lab.identity(named: "tenant-a"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("REFUSED — the volume is not started"))
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableGlusterdCannotRun() async throws {
        let lab = try Lab.load()
        let result = try await Self.accessTest("127.0.0.3:/\(try lab.volume("access"))", as: try lab.identity(named: "tenant-a"))
        #expect(result.status == 2)
        #expect(result.stdout.contains("COULD NOT RUN — nothing answers at glusterd"))
    }

    @Test func missingIdentityFilesCannotRunAndAreNamed() async throws {
        let result = try await runProcess(
            EndToEndTests.binary,
            ["access", "test", "127.0.0.2:/gshare-test-access", "--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k", "--ca", "/nonexistent/ca"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/c.pem: cannot open"))
    }

    /// Hostile or malformed volume addresses never reach gfapi (or a shell).
    @Test(arguments: [
        "127.0.0.2/vol", "127.0.0.2:/", ":/vol", "127.0.0.2:/vol;rm -rf", "127.0.0.2:/$(id)", "host name:/vol", "127.0.0.2:99999:/vol",
        "[::1:/vol", "127.0.0.2:/vol/sub", "127.0.0.2:/" + String(repeating: "v", count: 65), "-oProxyCommand=x:/vol",
    ])
    func malformedAddressesAreRefused(_ text: String) {
        #expect(throws: GlusterFSError.self) { try GlusterVolumeAddress(parsing: text) }
    }

    @Test(arguments: [
        ("127.0.0.2:/gshare-pool-01-1G", "127.0.0.2", 24007, "gshare-pool-01-1G"), ("node1.example:24008:/v_1", "node1.example", 24008, "v_1"),
        ("[::1]:/vol", "::1", 24007, "vol"), ("[fd00::2]:24010:/vol", "fd00::2", 24010, "vol"),
    ])
    func wellFormedAddressesParse(_ text: String, _ host: String, _ port: Int, _ volume: String) throws {
        #expect(try GlusterVolumeAddress(parsing: text) == GlusterVolumeAddress(host: host, port: port, volume: volume))
    }

    @Test func accessTestParsesItsOptions() throws {
        let command = try #require(
            try GShare.parseAsRoot(["access", "test", "h:/v", "--cert", "c", "--key", "k", "--ca", "a", "--timeout", "5", "--json"])
                as? GShare.Access.Test)
        #expect(command.volume == "h:/v" && command.cert == "c" && command.key == "k" && command.ca == "a")
        #expect(command.timeout == 5 && command.output.json)
    }
}

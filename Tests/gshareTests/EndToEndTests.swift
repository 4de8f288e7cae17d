//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// Runs the built `gshare` binary and checks stdout, stderr and the exit status.
@Suite("The gshare binary, end to end")
struct EndToEndTests {
    static func corpus(_ relative: String) -> String { corpusPath(relative) }

    /// The binary built next to this test bundle.
    static let binary: String = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gshare").path
        let candidates = [besideTests, repositoryRoot.appendingPathComponent(".build/debug/gshare").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? besideTests
    }()

    static func gshare(_ arguments: String...) async throws -> ProcessResult { try await runProcess(binary, arguments) }

    static let at = "2026-06-01T00:00:00Z"

    @Test func aValidCertificateExitsZeroAndNamesTheTenant() async throws {
        let result = try await Self.gshare(
            "cert", "verify", Self.corpus("cases/good-p256.pem"), "--ca", Self.corpus("ca/tenant-root.pem"),
            "--untrusted", Self.corpus("ca/tenant-int.pem"), "--at", Self.at)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            \(Self.corpus("cases/good-p256.pem")): VALID — tenant CN "tenant-p256"
              GlusterFS:     would accept it, and authorise the name "tenant-p256"
              tenant policy: pass

            """)
    }

    @Test func anInvalidCertificateExitsOneWithEveryReasonAndFix() async throws {
        let result = try await Self.gshare(
            "cert", "verify", Self.corpus("cases/eku-server-only.pem"), "--ca", Self.corpus("ca/tenant-root.pem"),
            "--untrusted", Self.corpus("ca/tenant-int.pem"), "--at", Self.at)
        #expect(result.status == 1)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("\(Self.corpus("cases/eku-server-only.pem")): INVALID\n"))
        #expect(result.stdout.contains("GlusterFS:     would accept it, and authorise the name \"tenant-eku-server\""))
        #expect(result.stdout.contains("tenant policy: FAIL"))
        #expect(result.stdout.contains("✗ [eku-lacks-client-auth] (policy) extendedKeyUsage is serverAuth and lacks clientAuth"))
        #expect(result.stdout.contains("fix: issue it with extendedKeyUsage clientAuth"))
    }

    @Test func aMissingFileExitsTwoWithAClearMessage() async throws {
        let result = try await Self.gshare(
            "cert", "verify", "/nonexistent/tenant.pem", "--ca", Self.corpus("ca/tenant-root.pem"), "--at", Self.at)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        // (unified error rendering: the fix on its own line)
        #expect(result.stderr == "gshare: error: /nonexistent/tenant.pem: cannot open: No such file or directory\n  fix: check the path\n")
    }

    @Test func aMissingCAFileExitsTwoBeforeJudgingAnything() async throws {
        let result = try await Self.gshare("cert", "verify", Self.corpus("cases/good-p256.pem"), "--ca", "/nonexistent/ca.pem")
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("/nonexistent/ca.pem: cannot open"))
    }

    @Test func aBadTimeExitsTwoAndShowsTheFormat() async throws {
        let result = try await Self.gshare(
            "cert", "verify", Self.corpus("cases/good-p256.pem"), "--ca", Self.corpus("ca/tenant-root.pem"), "--at", "tomorrow")
        #expect(result.status == 2)
        #expect(result.stderr.contains("not an RFC 3339 time") && result.stderr.contains("2026-06-01T00:00:00Z"))
    }

    @Test func jsonGivesAStableResultPerFileAndCounts() async throws {
        let result = try await Self.gshare(
            "cert", "verify", Self.corpus("cases/good-p256.pem"), Self.corpus("cases/cn-nul.pem"), Self.corpus("cases/garbage.pem"),
            "--ca", Self.corpus("ca/tenant-root.pem"), "--untrusted", Self.corpus("ca/tenant-int.pem"), "--at", Self.at, "--json")
        #expect(result.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let counts = try #require(document["counts"] as? [String: Int])
        #expect(counts == ["valid": 1, "invalid": 1, "couldNotVerify": 1])
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results[0]["valid"] as? Bool == true && results[0]["tenantCommonName"] as? String == "tenant-p256")
        let nulGlusterFS = try #require(results[1]["glusterfs"] as? [String: Any])
        #expect(nulGlusterFS["name"] as? String == "admin")
        #expect(nulGlusterFS["accepted"] as? Bool == true)
        #expect((results[1]["policy"] as? [String: Any])?["accepted"] as? Bool == false)
        #expect((results[2]["error"] as? [String: Any])?["code"] as? String == "not-a-certificate")
    }

    @Test func aListOfFilesIsJudgedLikeArguments() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("leaves.txt")
        try [Self.corpus("cases/good-p256.pem"), Self.corpus("cases/expired.pem"), ""].joined(separator: "\n")
            .write(to: list, atomically: true, encoding: .utf8)
        let result = try await Self.gshare(
            "cert", "verify", Self.corpus("cases/good-ed25519.pem"), "--leaves-from", list.path, "--ca", Self.corpus("ca/tenant-root.pem"),
            "--untrusted", Self.corpus("ca/tenant-int.pem"), "--at", Self.at)
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix("2 valid, 1 invalid, 0 could not be verified\n"))
        #expect(result.stdout.contains("\(Self.corpus("cases/expired.pem")): INVALID"))

        let missing = try await Self.gshare("cert", "verify", "--leaves-from", "/nonexistent/list", "--ca", Self.corpus("ca/tenant-root.pem"))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/list: cannot read the list of certificate files"))
    }

    @Test func inspectShowsTheGlusterFSNameAndWarnsLoudlyWhenItDiffers() async throws {
        let result = try await Self.gshare("cert", "inspect", Self.corpus("cases/cn-nul.pem"))
        #expect(result.status == 0)
        #expect(result.stdout.contains("GlusterFS name:     \"admin\""))
        #expect(result.stdout.contains("!! WARNING: GlusterFS does NOT see the decoded CN \"admin\\x00.evil\""))
    }

    @Test func inspectShowsEveryField() async throws {
        let result = try await Self.gshare("cert", "inspect", Self.corpus("cases/good-one-intermediate.pem"))
        #expect(result.status == 0)
        for field in ["Subject:", "Issuer:", "Serial:", "Valid:", "Public key:", "Signature:", "SANs:", "Basic constraints:",
                      "Key usage:", "Extended key usage:", "SHA-256:", "GlusterFS name:", "certificate 2 of 2"] {
            #expect(result.stdout.contains(field), "missing \(field)")
        }
    }

    @Test func inspectOfGarbageExitsTwo() async throws {
        let result = try await Self.gshare("cert", "inspect", Self.corpus("cases/garbage.pem"))
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("gshare: error: \(Self.corpus("cases/garbage.pem")): the file is neither PEM"))
    }
}

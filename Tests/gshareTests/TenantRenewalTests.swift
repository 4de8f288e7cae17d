//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// Re-onboarding a renewed certificate through the binary, with a tenant CA of the test's own.
@Suite("gshare tenant onboard: renewals keep the history, a CN belongs to one tenant")
struct TenantRenewalTests {
    @Test(.timeLimit(.minutes(2)))
    func aRenewedCertificateUpdatesTheTenantAndKeepsTheOldOneInItsHistory() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func gshare(_ arguments: [String]) async throws -> ProcessResult {
            try await runProcess(EndToEndTests.binary, arguments, in: folder)
        }
        #expect(try await gshare(["pki", "init-ca", "--dir", "ca", "--cn", "renewal-root"]).status == 0)
        for out in ["first", "second"] {
            #expect(try await gshare(["pki", "issue", "--ca", "ca", "--cn", "tenant-x", "--profile", "client", "--out", out]).status == 0)
        }
        let config = folder.appendingPathComponent("gshare.toml").path
        try """
            glusterfs_targets = ["127.0.0.2:/gshare-pool-02-1G"]
            system_cns = ["gluster-node-1", "gshare-manager"]
            tenant_ca = "\(folder.path)/ca/ca.pem"
            state_dir = "\(folder.path)/state"
            """.write(toFile: config, atomically: true, encoding: .utf8)

        let first = try await gshare(["tenant", "onboard", "first/tenant-x.pem", "--config", config])
        #expect(first.status == 0 && first.stdout.contains("onboarded tenant tenant-x"), "\(first.stdout) \(first.stderr)")
        let again = try await gshare(["tenant", "onboard", "first/tenant-x.pem", "--config", config])
        #expect(again.status == 0 && again.stdout.contains("already has this certificate"), "\(again.stdout)")
        let renewed = try await gshare(["tenant", "onboard", "second/tenant-x.pem", "--config", config])
        #expect(renewed.status == 0 && renewed.stdout.contains("renewed tenant tenant-x"), "\(renewed.stdout) \(renewed.stderr)")

        let shown = try await gshare(["tenant", "show", "tenant-x", "--json", "--config", config])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let history = try #require(document["history"] as? [[String: Any]])
        #expect(history.count == 2)
        let current = try #require(document["certificate"] as? [String: Any])
        #expect(history.last?["fingerprint"] as? String == current["fingerprint"] as? String)
        #expect(history.first?["fingerprint"] as? String != current["fingerprint"] as? String)

        // the same CN under another tenant name: refused, nothing recorded
        let other = try await gshare(["tenant", "onboard", "second/tenant-x.pem", "--name", "someone-else", "--config", config])
        #expect(other.status == 1, "\(other.stdout) \(other.stderr)")
        #expect((other.stdout + other.stderr).contains("tenant-x"))
        let list = try await gshare(["tenant", "list", "--json", "--config", config])
        #expect(!list.stdout.contains("someone-else"))
    }
}

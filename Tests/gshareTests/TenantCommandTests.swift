//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterDriver
import TenantPKI
import Testing

@testable import gshare

/// `gshare tenant …` and `gshare audit` through the binary. Onboarding never touches the
/// pool; each test has its own state_dir (so its own registry).
@Suite("gshare tenant onboard/list/show and audit, through the binary")
struct TenantCommandTests {
    /// A lab config (the pool volume is never written by these tests).
    static func lab() throws -> DriverLab { try DriverLab(targets: ["gshare-pool-02-1G"]) }

    static func tenantCert(_ lab: DriverLab, _ name: String) throws -> String { try lab.lab.identity(named: name).cert }

    @Test func theLabTenantsAreOnboardedListedAndShown() async throws {
        let lab = try Self.lab()
        let files = try ["tenant-a", "tenant-b", "tenant-c"].map { try Self.tenantCert(lab, $0) }
        let onboard = try await lab.gshare(["tenant", "onboard"] + files)
        #expect(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        #expect(onboard.stdout.contains("summary: 3 onboarded, 0 renewed, 0 unchanged, 0 refused"))

        let list = try lab.json(try await lab.gshare("tenant", "list", "--json"))
        let tenants = try #require(list["tenants"] as? [[String: Any]])
        #expect(tenants.map { $0["name"] as? String } == ["tenant-a", "tenant-b", "tenant-c"])
        #expect(tenants.map { $0["commonName"] as? String } == ["tenant-a", "tenant-b", "tenant-c"])

        let show = try lab.json(try await lab.gshare("tenant", "show", "tenant-b", "--json"))
        #expect((show["history"] as? [Any])?.count == 1)
        #expect((show["certificate"] as? [String: Any])?["issuer"] as? String == "CN=gshare Lab Tenant Intermediate")

        let again = try await lab.gshare(["tenant", "onboard"] + files)
        #expect(again.status == 0 && again.stdout.contains("0 onboarded, 0 renewed, 3 unchanged, 0 refused"), "\(again.stdout)")

        let mode = try FileManager.default.attributesOfItem(atPath: lab.state.appendingPathComponent("gshare.sqlite").path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func aNameIsGivenWithOneCertificateAndAnotherNameForTheSameCNIsRefused() async throws {
        let lab = try Self.lab()
        let cert = try Self.tenantCert(lab, "tenant-a")
        let named = try await lab.gshare("tenant", "onboard", cert, "--name", "acme")
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("onboarded tenant acme (CN tenant-a"))
        let other = try await lab.gshare("tenant", "onboard", cert, "--name", "other", "--json")
        #expect(other.status == 1)
        let result = try #require((try lab.json(other)["results"] as? [[String: Any]])?.first)
        #expect(result["outcome"] as? String == "refused")
        #expect((result["message"] as? String)?.contains("tenant 'acme' already holds the CN 'tenant-a'") == true)
        let twoFiles = try await lab.gshare("tenant", "onboard", cert, try Self.tenantCert(lab, "tenant-b"), "--name", "x")
        #expect(twoFiles.status != 0 && twoFiles.stderr.contains("--name"))
    }

    @Test func aDirectoryIsOnboardedAsABatchWithASummary() async throws {
        let lab = try Self.lab()
        let folder = try makeTemporaryDirectory()
        for name in ["tenant-a", "tenant-b", "tenant-c"] {
            try FileManager.default.copyItem(atPath: try Self.tenantCert(lab, name), toPath: folder.appendingPathComponent("\(name).pem").path)
        }
        // a node certificate (another root): refused; a note: not a certificate file, skipped
        try FileManager.default.copyItem(atPath: try Self.tenantCert(lab, lab.lab.serverCN), toPath: folder.appendingPathComponent("node.crt").path)
        try "notes".write(to: folder.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let batch = try await lab.gshare("tenant", "onboard", folder.path)
        #expect(batch.status == 1, "\(batch.stdout) \(batch.stderr)")
        #expect(batch.stdout.contains("summary: 3 onboarded, 0 renewed, 0 unchanged, 1 refused"))
        #expect(batch.stdout.contains("node.crt: INVALID") && batch.stdout.contains("[issuer-unknown]"))
        #expect(!batch.stdout.contains("README.txt"))
        let names = (try lab.json(try await lab.gshare("tenant", "list", "--json"))["tenants"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["tenant-a", "tenant-b", "tenant-c"])
    }

    /// No lab: a config whose state_dir holds a copy of the corpus registry whose rows have
    /// malformed dates (fixtures/registry/malformed-date.sqlite). GRDB's typed row subscript
    /// would trap (SIGILL); gshare exits 2 naming the row, and leaves the file as it was.
    @Test func aRegistryRowWithAMalformedDateFailsListAndAuditWithStatusTwoNamingTheRow() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let registry = state.appendingPathComponent("gshare.sqlite").path
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("fixtures/registry/malformed-date.sqlite").path, toPath: registry)
        let before = try Data(contentsOf: URL(fileURLWithPath: registry))
        let config = folder.appendingPathComponent("gshare.toml").path
        try """
            glusterfs_targets = ["127.0.0.1:/gshare-never-contacted"]
            system_cns = ["gluster-node-1"]
            state_dir = "\(state.path)"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let expected = [
            ["tenant", "list"]: "tenants row 2 (tenant 'tenant-b'), column createdAt: found the text 'yesterday'",
            ["audit"]: "audit row id 2, column time: found the text 'last tuesday'",
        ]
        for (command, row) in expected {
            let result = try await runProcess(EndToEndTests.binary, command + ["--config", config], environment: ["GSHARE_CONFIG": ""])
            #expect(!result.signaled && result.status == 2, "gshare \(command.joined(separator: " ")): \(result.signaled ? "signal" : "status") \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("\(registry): \(row)"), "\(result.stderr)")
            #expect(result.stderr.contains("mv \(registry) \(registry).corrupt"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: registry)) == before)
    }

    @Test func aMissingPathOrNoTenantCACannotRun() async throws {
        let lab = try Self.lab()
        let missing = try await lab.gshare("tenant", "onboard", "/nonexistent/tenant.pem")
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/tenant.pem"))
        #expect((try lab.json(try await lab.gshare("tenant", "list", "--json"))["tenants"] as? [Any])?.isEmpty == true)
    }

    /// The corpus cases the strict policy refuses (those that need no CRL, key or extra depth).
    struct CorpusCase: Sendable {
        let id: String
        let leaf: String
        let untrusted: String?
        let codes: [String]
    }

    static func refusedCorpusCases() throws -> [CorpusCase] {
        let data = try Data(contentsOf: URL(fileURLWithPath: corpusPath("cases.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return cases.compactMap { entry in
            guard let expect = entry["expect"] as? [String: Any], let id = entry["id"] as? String, let leaf = entry["leaf"] as? String else { return nil }
            let crls = entry["crls"] as? [String] ?? []
            let rejected = expect["policy"] as? String == "reject" || expect["outcome"] as? String == "error"
            guard rejected, crls.isEmpty, entry["depth"] as? Int == 1, entry["ca"] as? String == "ca/tenant-root.pem",
                !id.hasPrefix("key-mismatch"), id != "key-encrypted", leaf.hasSuffix(".pem")
            else { return nil }
            return CorpusCase(id: id, leaf: leaf, untrusted: entry["untrusted"] as? String, codes: expect["codes"] as? [String] ?? [])
        }
    }

    @Test func everyStrictPolicyFailureInTheCorpusIsRefusedWithItsReasonAndNothingRecorded() async throws {
        let lab = try Self.lab()
        // a config whose tenant_ca is the corpus root
        let text = try String(contentsOfFile: lab.config, encoding: .utf8)
            .replacingOccurrences(of: "tenant_ca = \"\(lab.lab.tenantRoot)\"", with: "tenant_ca = \"\(corpusPath("ca/tenant-root.pem"))\"")
        try text.write(toFile: lab.config, atomically: true, encoding: .utf8)
        let cases = try Self.refusedCorpusCases()
        #expect(cases.count >= 25)
        let folder = try makeTemporaryDirectory()
        for item in cases {
            // the leaf with its chain after it, as a glusterfs.pem carries it
            var pem = try Data(contentsOf: URL(fileURLWithPath: corpusPath(item.leaf)))
            let isPEMCertificate = String(decoding: pem, as: UTF8.self).contains("BEGIN CERTIFICATE")
            if let untrusted = item.untrusted, isPEMCertificate, !item.codes.contains("pem-trailing-data") {
                pem += try Data(contentsOf: URL(fileURLWithPath: corpusPath(untrusted)))
            }
            let file = folder.appendingPathComponent("\(item.id).pem").path
            try pem.write(to: URL(fileURLWithPath: file))
            let result = try await lab.gshare("tenant", "onboard", file)
            #expect(result.status == 1, "\(item.id): \(result.stdout) \(result.stderr)")
            for code in item.codes {
                #expect(result.stdout.contains("[\(code)]") || result.stdout.contains(code), "\(item.id) should be refused for \(code): \(result.stdout)")
            }
            #expect(result.stdout.contains("REFUSED"), "\(item.id): \(result.stdout)")
        }
        // the good corpus leaf is accepted by the same config (the refusals are the certificates')
        let good = folder.appendingPathComponent("good.pem").path
        try (String(contentsOfFile: corpusPath("cases/good-p256.pem"), encoding: .utf8) + String(contentsOfFile: corpusPath("ca/tenant-int.pem"), encoding: .utf8))
            .write(toFile: good, atomically: true, encoding: .utf8)
        let accepted = try await lab.gshare("tenant", "onboard", good, "--json")
        #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")
        let tenants = try lab.json(try await lab.gshare("tenant", "list", "--json"))["tenants"] as? [[String: Any]] ?? []
        #expect(tenants.count == 1, "only the good certificate is recorded: \(tenants)")
    }

}

/// Grants by tenant name against the REAL lab, on gshare-pool-02-1G: in the serialized
/// concurrency suite, whose create race also uses that volume.
extension ShareConcurrencyTests {
    @Test(.timeLimit(.minutes(5)))
    func allowAndDenyByTenantNameRemoveRefusedWhileListedAndEveryChangeAudited() async throws {
        let volume = "gshare-pool-02-1G"
        let lab = try DriverLab(targets: [volume])
        try await lab.deleteAllShares()
        let onboard = try await lab.gshare(["tenant", "onboard"] + ["tenant-a", "tenant-b"].map { try lab.lab.identity(named: $0).cert })
        #expect(onboard.status == 0, "\(onboard.stderr)")

        let created = try await lab.gshare("share", "create", "--name", "registry-share", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        defer { _ = try? lab.gshareBlocking("share", "delete", "registry-share") }

        // allow by tenant name: a in, b out
        let allow = try await lab.gshare("access", "allow", "registry-share", "tenant-a")
        #expect(allow.status == 0, "\(allow.stdout) \(allow.stderr)")
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
        #expect(try await lab.accessTest(volume, as: "tenant-a") == 0)
        #expect(try await lab.accessTest(volume, as: "tenant-b") == 1)

        // an unknown tenant: refused with the known names; TENANT with --cn: a usage error
        let unknown = try await lab.gshare("access", "allow", "registry-share", "tenant-z")
        #expect(unknown.status == 1 && unknown.stderr.contains("known tenants: tenant-a, tenant-b"), "\(unknown.stderr)")
        let both = try await lab.gshare("access", "allow", "registry-share", "tenant-a", "--cn", "tenant-a")
        #expect(both.status != 0 && both.stderr.contains("exactly one of TENANT"))

        // deny by name
        #expect(try await lab.gshare("access", "allow", "registry-share", "tenant-b").status == 0)
        let deny = try await lab.gshare("access", "deny", "registry-share", "tenant-b")
        #expect(deny.status == 0, "\(deny.stderr)")
        #expect(try await lab.accessTest(volume, as: "tenant-b") == 1)

        // remove: refused while listed, then --revoke-access denies first
        let refused = try await lab.gshare("tenant", "remove", "tenant-a")
        #expect(refused.status == 1 && refused.stderr.contains("registry-share"), "\(refused.stderr)")
        #expect(try await lab.accessTest(volume, as: "tenant-a") == 0)
        let removed = try await lab.gshare("tenant", "remove", "tenant-a", "--revoke-access")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("denied tenant-a on registry-share"))
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
        #expect(try await lab.accessTest(volume, as: "tenant-a") == 1)
        let names = (try lab.json(try await lab.gshare("tenant", "list", "--json"))["tenants"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["tenant-b"])

        let deleted = try await lab.gshare("share", "delete", "registry-share")
        #expect(deleted.status == 0, "\(deleted.stderr)")

        // one audit entry per state change, with its result
        let audit = try lab.json(try await lab.gshare("audit", "--since", "1h", "--json"))
        let entries = try #require(audit["entries"] as? [[String: Any]])
        // (leftover shares deleted at the start are not part of the scenario)
        let summary = entries.map { entry in
            let command = (entry["command"] as? [String] ?? []).dropFirst().prefix(2).joined(separator: " ")
            return "\(command):\(entry["result"] as? String ?? "")"
        }
        #expect(
            Array(summary.drop { $0 != "tenant onboard:ok" }) == [
                "tenant onboard:ok", "share create:ok", "access allow:ok", "access allow:refused", "access allow:ok", "access deny:ok",
                "tenant remove:refused", "tenant remove:ok", "share delete:ok",
            ], "\(summary)")
        #expect(entries.allSatisfy { ($0["user"] as? String)?.isEmpty == false && ($0["host"] as? String)?.isEmpty == false })
        #expect(entries.first { ($0["result"] as? String) == "refused" }?["target"] as? String == "registry-share")
    }
}

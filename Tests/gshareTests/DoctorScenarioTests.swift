//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// `gshare status` and `gshare doctor [--fix]` on problems made deliberately in the real lab.
/// In the serialized life-cycle suite, which owns gshare-pool-04-2G.
extension ShareScenarioTests {
    static func codes(_ document: [String: Any]) -> [String] {
        (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    @Test(.timeLimit(.minutes(5)))
    func doctorFindsWhatWasBrokenOnPurposeAndFixesOnlyTheSafeThings() async throws {
        let volume = "gshare-pool-04-2G"
        let plain = try LabDescription.load().volume("plain")
        let base = try DriverLab(targets: [volume, plain])
        try await base.deleteAllShares()

        // A tenant CA of this test's own: a valid tenant, one expiring in 10 days, one revoked.
        let pki = base.folder.appendingPathComponent("pki").path
        func gshare(_ arguments: String...) async throws -> ProcessResult {
            try await runProcess(EndToEndTests.binary, arguments, in: URL(fileURLWithPath: pki))
        }
        try FileManager.default.createDirectory(atPath: pki, withIntermediateDirectories: true)
        #expect(try await gshare("pki", "init-ca", "--dir", "ca", "--cn", "doctor-tenant-root").status == 0)
        for (name, days) in [("tenant-ok", "365"), ("tenant-exp", "10"), ("tenant-rev", "365")] {
            let issued = try await gshare("pki", "issue", "--ca", "ca", "--cn", name, "--profile", "client", "--days", days, "--out", name)
            #expect(issued.status == 0, "\(issued.stderr)")
        }
        #expect(try await gshare("pki", "crl", "--ca", "ca", "--out", "crl").status == 0)

        // The configuration: this CA as tenant_ca, its CRLs as tenant_crl_dir.
        var text = try String(contentsOfFile: base.config, encoding: .utf8)
        text = text.replacingOccurrences(of: "tenant_ca = \"\(base.lab.tenantRoot)\"", with: "tenant_ca = \"\(pki)/ca/ca.pem\"")
        text += "\ntenant_crl_dir = \"\(pki)/crl/hashed\"\n"
        try text.write(toFile: base.config, atomically: true, encoding: .utf8)
        let lab = base

        let onboard = try await lab.gshare(["tenant", "onboard"] + ["tenant-ok", "tenant-exp", "tenant-rev"].map { "\(pki)/\($0)/\($0).pem" })
        #expect(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        let created = try await lab.gshare("share", "create", "--name", "doctor", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        defer { _ = try? lab.gshareBlocking("share", "delete", "doctor") }
        for tenant in ["tenant-ok", "tenant-rev", "tenant-exp"] {
            #expect(try await lab.gshare("access", "allow", "doctor", tenant).status == 0)
        }
        #expect(try await lab.gshare("access", "allow", "doctor", "--cn", "stranger").status == 0)
        // tenant-rev is revoked after its grant, and the new CRL is published into tenant_crl_dir:
        // from now on gshare refuses to let it in again, and the doctor finds it still listed
        #expect(try await gshare("pki", "revoke", "--ca", "ca", "--cert", "tenant-rev/tenant-rev.pem").status == 0)
        #expect(try await gshare("pki", "crl", "--ca", "ca", "--out", "crl").status == 0)
        let again = try await lab.gshare("access", "allow", "doctor", "--cert", "\(pki)/tenant-rev/tenant-rev.pem")
        #expect(again.status == 1 && again.stderr.contains("certificate-revoked"), "\(again.stderr)")
        // someone edits the list by hand: gshare's own CN and tenant-exp's grant gone
        let broken = "gluster-node-1,tenant-ok,tenant-rev,stranger"
        #expect(try await runProcess("/usr/sbin/gluster", ["--mode=script", "volume", "set", volume, "auth.ssl-allow", broken]).status == 0)

        // status: names from the registry, the stranger unknown
        let status = try lab.json(try await lab.gshare("status", "--json"))
        let share = try #require((status["shares"] as? [[String: Any]])?.first { $0["name"] as? String == "doctor" })
        let kinds = (share["entries"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? ""):\($0["kind"] ?? ""):\($0["tenant"] ?? "-")" }
        #expect(kinds.contains("tenant-ok:tenant:tenant-ok") && kinds.contains("stranger:unknown:-"), "\(kinds)")

        // doctor: every problem made above, exit 1 (critical ones)
        let diagnosis = try await lab.gshare("doctor", "--json")
        #expect(diagnosis.status == 1, "\(diagnosis.stderr)")
        let found = Self.codes(try lab.json(diagnosis))
        for code in ["tls-off", "allow-list-open", "system-cn-missing", "unknown-cn", "granted-access-missing", "tenant-cert-expiring", "revoked-tenant-listed"] {
            #expect(found.contains(code), "\(code) not in \(found)")
        }

        // --fix: the safe ones only — the system CN back, the revoked tenant out
        let fixed = try await lab.gshare("doctor", "--fix", "--json")
        #expect(fixed.status == 1, "tls-off on \(plain) is not safe to fix: \(fixed.stderr)")
        let list = Set((try await DriverLab.options(of: volume)["auth.ssl-allow"] ?? "").split(separator: ",").map(String.init))
        #expect(list == ["gluster-node-1", "gshare-manager", "tenant-ok", "stranger"], "\(list)")
        #expect(try await DriverLab.options(of: plain)["server.ssl"] == nil, "doctor --fix must not restart or reconfigure TLS")
        let after = Self.codes(try lab.json(fixed))
        #expect(!after.contains("system-cn-missing") && !after.contains("revoked-tenant-listed"), "\(after)")
        #expect(after.contains("tls-off") && after.contains("unknown-cn") && after.contains("granted-access-missing"))

        // each fix is in the audit log, made by the doctor workflow, with who ran it
        let audit = try lab.json(try await lab.gshare("audit", "--json"))
        let fixes = (audit["entries"] as? [[String: Any]] ?? []).filter { ($0["command"] as? [String] ?? []).contains("--fix") }
        let described = fixes.map { "\($0["result"] as? String ?? ""):\($0["message"] as? String ?? "")" }
        #expect(fixes.count == 2, "\(described)")
        #expect(described.contains { $0.hasPrefix("ok:added gshare-manager to auth.ssl-allow of") }, "\(described)")
        #expect(described.contains { $0.hasPrefix("ok:removed tenant-rev from share") }, "\(described)")
        #expect(fixes.allSatisfy { ($0["user"] as? String)?.isEmpty == false })
    }
}

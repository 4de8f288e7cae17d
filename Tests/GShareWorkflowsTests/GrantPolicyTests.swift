//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import TenantPKI
import Testing

/// Which CN an identity resolves to, and when it may be let in: the one grant policy every
/// front end uses.
@Suite("GrantPolicy: tenant names, CNs and certificates")
struct GrantPolicyTests {
    @Test func aTenantNameResolvesToItsRecordedCN() async throws {
        let bed = try Testbed()
        _ = try await bed.workflows.onboard([try bed.issue("tenant-a")], name: "acme")
        let policy = GrantPolicy(config: bed.config, now: Date())
        #expect(try policy.resolve(.tenant("acme"), for: .allow).commonName.value == "tenant-a")
    }

    @Test func anUnknownTenantIsRefusedWithTheKnownNames() async throws {
        let bed = try Testbed()
        _ = try await bed.workflows.onboard([try bed.issue("tenant-a"), try bed.issue("tenant-b")])
        let policy = GrantPolicy(config: bed.config, now: Date())
        let error = try #require(throws: WorkflowError.self) { try policy.resolve(.tenant("tenant-z"), for: .allow) }
        #expect(error.code == .unknownTenant && error.verdict == .refused)
        #expect(error.message.contains("known tenants: tenant-a, tenant-b"))
    }

    @Test func anExpiredTenantIsRefusedForAllowButCanAlwaysBeDenied() async throws {
        let bed = try Testbed()
        _ = try await bed.workflows.onboard([try bed.issue("tenant-a", days: 30)])
        let later = GrantPolicy(config: bed.config, now: Date().addingTimeInterval(40 * 86400))
        let refusal = try #require(throws: WorkflowError.self) { try later.resolve(.tenant("tenant-a"), for: .allow) }
        #expect(refusal.code == .tenantCertificateExpired && refusal.verdict == .refused)
        #expect(refusal.message.contains("expired at") && refusal.fix?.contains("gshare tenant onboard") == true)
        #expect(try later.resolve(.tenant("tenant-a"), for: .deny).commonName.value == "tenant-a")
    }

    @Test func aCertificateFromAnotherCAIsRefusedForAllowWithEveryReasonButItsNameCanBeDenied() throws {
        let bed = try Testbed()
        let stranger = try CertificateAuthority.create(in: bed.folder.appendingPathComponent("other-root").path, commonName: "Other Root")
        let issued = try stranger.issue(commonName: CommonName(validating: "tenant-x"), profile: .client, days: 30)
        let path = bed.folder.appendingPathComponent("tenant-x.pem").path
        try issued.chainPEM.write(toFile: path, atomically: true, encoding: .utf8)
        let policy = GrantPolicy(config: bed.config, now: Date())
        let refusal = try #require(throws: WorkflowError.self) { try policy.resolve(.certificate(path: path), for: .allow) }
        #expect(refusal.code == .invalidCertificate && refusal.verdict == .refused)
        #expect(refusal.message.contains("is not a valid tenant certificate") && refusal.message.contains("✗ ["))
        #expect(try policy.resolve(.certificate(path: path), for: .deny).commonName.value == "tenant-x")
    }

    @Test func aCertificateNeedsTenantCAInTheConfiguration() throws {
        let bed = try Testbed { $0.tenantCA = nil }
        let policy = GrantPolicy(config: bed.config, now: Date())
        let refusal = try #require(throws: WorkflowError.self) { try policy.resolve(.certificate(path: try bed.issue("tenant-a")), for: .allow) }
        #expect(refusal.code == .notConfigured && refusal.fix?.contains("tenant_ca") == true)
    }

    @Test func aMissingCertificateFileFailsNamingTheFile() throws {
        let bed = try Testbed()
        let policy = GrantPolicy(config: bed.config, now: Date())
        let failure = try #require(throws: WorkflowError.self) { try policy.resolve(.certificate(path: "/nonexistent/t.pem"), for: .deny) }
        #expect(failure.verdict == .failed && failure.message.hasPrefix("/nonexistent/t.pem: "))
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import TenantPKI
import TenantRegistry
import Testing

/// With tenant_crl_dir set, onboarding and every allow path check the tenant CRLs, for
/// every CA of the chain, as GlusterFS does.
@Suite("Revocation is checked wherever a tenant is let in")
struct RevocationTests {
    /// A testbed whose tenant_crl_dir holds the CRLs of its tenant root (published `days`
    /// long from `publishedAt`, after revoking `revoked`).
    static func bed(revoking revoked: [String] = [], onboardFirst: [String] = [], days: Int = 30, publishedAt: Date = Date()) async throws
        -> (Testbed, [String: String])
    {
        var crlFolder = ""
        let bed = try Testbed { config in
            crlFolder = URL(fileURLWithPath: config.stateDirectory).deletingLastPathComponent().appendingPathComponent("crl/hashed").path
            config.tenantCRLDirectory = crlFolder
        }
        var files: [String: String] = [:]
        for name in Set(revoked + onboardFirst + ["tenant-a"]) { files[name] = try bed.issue(name) }
        if !onboardFirst.isEmpty {
            // registered while nothing was revoked yet
            try FileManager.default.createDirectory(atPath: crlFolder, withIntermediateDirectories: true)
            _ = try CRLPublisher.publish(for: [bed.tenantRoot], days: days, now: publishedAt, to: URL(fileURLWithPath: crlFolder).deletingLastPathComponent().path)
            let onboarding = try await bed.workflows.onboard(onboardFirst.compactMap { files[$0] })
            #expect(onboarding.verdict == .ok, "\(onboarding.results.map { "\($0.kind) \($0.error?.description ?? "")" })")
        }
        for name in revoked {
            _ = try bed.tenantRoot.revoke(certificate: try Certificate.load(fromFile: files[name]!)[0], reason: .keyCompromise)
        }
        _ = try CRLPublisher.publish(for: [bed.tenantRoot], days: days, now: publishedAt, to: URL(fileURLWithPath: crlFolder).deletingLastPathComponent().path)
        return (bed, files)
    }

    @Test func aRevokedCertificateIsNotOnboardedAndAValidOneIs() async throws {
        let (bed, files) = try await Self.bed(revoking: ["tenant-b"])
        let onboarding = try await bed.workflows.onboard([files["tenant-a"]!, files["tenant-b"]!])
        #expect(onboarding.results.map(\.kind) == [.onboarded, .refused])
        #expect(onboarding.results[1].verification?.findings?.contains { $0.code == "certificate-revoked" } == true)
    }

    @Test func everyAllowPathRefusesARevokedTenantWhileDenyStillWorks() async throws {
        let (bed, files) = try await Self.bed(revoking: ["tenant-b"], onboardFirst: ["tenant-b"])
        let share = try await bed.share("data")
        let before = bed.pool.options(of: share.volume)
        for identity: IdentitySelector in [.certificate(path: files["tenant-b"]!), .tenant("tenant-b"), .commonName("tenant-b")] {
            await #expect {
                try await bed.workflows.allow(share: "data", identity: identity)
            } throws: { error in
                (error as? WorkflowError)?.verdict == .refused && "\(error)".contains("certificate-revoked")
            }
        }
        #expect(bed.pool.options(of: share.volume) == before, "nothing written")
        #expect(try bed.audit().suffix(3).allSatisfy { $0.result == .refused })
        // a valid tenant still gets in, and throwing the revoked one out always works
        #expect(try await bed.workflows.allow(share: "data", identity: .certificate(path: files["tenant-a"]!)).changed)
        #expect(try await bed.workflows.deny(share: "data", identity: .tenant("tenant-b")).changed == false)
    }

    @Test func aChainWithoutACRLIsRefusedWithTheFix() async throws {
        var folder = ""
        let bed = try Testbed { config in
            folder = URL(fileURLWithPath: config.stateDirectory).deletingLastPathComponent().appendingPathComponent("empty-crls").path
            config.tenantCRLDirectory = folder
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try await bed.share("data")
        let error = await #expect(throws: WorkflowError.self) {
            try await bed.workflows.allow(share: "data", identity: .certificate(path: try bed.issue("tenant-a")))
        }
        #expect(error?.message.contains("crl-missing") == true && error?.message.contains("gshare pki crl") == true, "\(error.map { "\($0)" } ?? "")")
    }

    @Test func aStaleCRLIsRefusedWithTheFix() async throws {
        let (bed, files) = try await Self.bed(days: 1, publishedAt: Date().addingTimeInterval(-3 * 86400))
        _ = try await bed.share("data")
        let error = await #expect(throws: WorkflowError.self) {
            try await bed.workflows.allow(share: "data", identity: .certificate(path: files["tenant-a"]!))
        }
        #expect(error?.message.contains("crl-expired") == true && error?.message.contains("publish a fresh CRL") == true, "\(error.map { "\($0)" } ?? "")")
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import WorkflowTestbed
import TenantPKI
import TenantRegistry
import Testing

/// Onboarding as typed outcomes, one audit entry per call.
@Suite("Onboarding workflow: typed outcomes, counted and audited")
struct OnboardingWorkflowTests {
    @Test func aBatchGivesOneTypedResultPerFileAndTheWorstVerdict() async throws {
        let bed = try Testbed()
        let good = try bed.issue("tenant-a")
        let stranger = try CertificateAuthority.create(in: bed.folder.appendingPathComponent("other").path, commonName: "Other Root")
        let foreign = bed.folder.appendingPathComponent("foreign.pem").path
        try stranger.issue(commonName: CommonName(validating: "tenant-f"), profile: .client, days: 30).chainPEM
            .write(toFile: foreign, atomically: true, encoding: .utf8)
        let garbage = bed.folder.appendingPathComponent("garbage.pem").path
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)

        let onboarding = try await bed.workflows.onboard([good, foreign, garbage])
        #expect(onboarding.results.map(\.kind) == [.onboarded, .refused, .refused])
        #expect(onboarding.results[0].tenant == "tenant-a" && onboarding.results[0].commonName == "tenant-a")
        #expect(onboarding.results[1].verification?.valid == false, "a certificate refused by validation carries every reason")
        #expect(onboarding.results[2].error?.code.rawValue == "not-a-certificate")
        #expect(onboarding.verdict == .refused)
        #expect(onboarding.summary == "1 onboarded, 0 renewed, 0 unchanged, 2 refused")

        let entries = try bed.audit()
        #expect(entries.count == 1, "one entry for the call")
        #expect(entries.first?.result == .refused && entries.first?.message == onboarding.summary)

        let again = try await bed.workflows.onboard([good])
        #expect(again.results.map(\.kind) == [.unchanged] && again.verdict == .ok)
    }

    @Test func aRenewalKeepsTheTenantAndNamesThePreviousCertificate() async throws {
        let bed = try Testbed()
        let first = try await bed.workflows.onboard([try bed.issue("tenant-a")])
        let renewed = try await bed.workflows.onboard([try bed.issue("tenant-a")])
        #expect(renewed.results.first?.kind == .renewed)
        #expect(renewed.results.first?.previousFingerprint == first.results.first?.fingerprint)
    }

    @Test func aMissingPathFailsBeforeAnythingIsRecordedAndIsAuditedAsFailed() async throws {
        let bed = try Testbed()
        let good = try bed.issue("tenant-a")
        await #expect {
            try await bed.workflows.onboard([good, "/nonexistent/certs"])
        } throws: { error in
            (error as? WorkflowError)?.code == .fileUnreadable && (error as? WorkflowError)?.subject == "/nonexistent/certs"
        }
        #expect(try bed.workflows.tenants().isEmpty, "nothing recorded")
        #expect(try bed.audit().last?.result == .failed)
    }

    @Test func aDirectoryStandsForItsCertificatesAndNameNeedsExactlyOne() async throws {
        let bed = try Testbed()
        let directory = bed.folder.appendingPathComponent("batch").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for cn in ["tenant-b", "tenant-c"] {
            try FileManager.default.copyItem(atPath: try bed.issue(cn), toPath: "\(directory)/\(cn).pem")
        }
        try "ignored".write(toFile: "\(directory)/README", atomically: true, encoding: .utf8)
        await #expect {
            try await bed.workflows.onboard([directory], name: "one-name")
        } throws: { ($0 as? WorkflowError)?.code == .invalidRequest }
        let onboarding = try await bed.workflows.onboard([directory])
        #expect(onboarding.results.map(\.tenant) == ["tenant-b", "tenant-c"])
    }
}

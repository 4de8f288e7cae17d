//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import TenantRegistry
import Testing

@testable import GShareWorkflows
@testable import TenantPKI

/// The one translation of lower layers' errors: code, verdict, subject, message, fix.
@Suite("WorkflowError: one code, verdict and fix for every failure")
struct WorkflowErrorTests {
    @Test func pkiRefusalsAreRefusedAndEverythingElseFailed() {
        #expect(WorkflowError.refusedPKICodes.map(\.rawValue).sorted() == [
            "already-exists", "invalid-common-name", "invalid-profile", "issuance-refused", "unknown-key-type", "unknown-serial",
        ])
        let refused = WorkflowError(PKIError(.unknownSerial, path: "ca", reason: "never issued 0A", hint: "check the serial"))
        #expect(refused.verdict == .refused && refused.code.rawValue == "unknown-serial")
        #expect(refused.message == "ca: never issued 0A" && refused.fix == "check the serial" && refused.subject == "ca")
        let failed = WorkflowError(PKIError(.fileUnreadable, path: "/x.pem", reason: "cannot open", hint: "check the path"))
        #expect(failed.verdict == .failed)
    }

    @Test func driverRefusalsKeepTheirShareVolumeAndFix() {
        let error = WorkflowError(
            ShareDriverError(.postureNotReady, share: "s1", volume: "h:/v", message: "not ready", hint: "gshare pool prepare v"))
        #expect(error.verdict == .refused && error.code.rawValue == "posture-not-ready")
        #expect(error.subject == "s1" && error.context == ["share": "s1", "volume": "h:/v"])
        #expect(error.description == "not ready\n  fix: gshare pool prepare v")
        let failed = WorkflowError(ShareDriverError(.wipeFailed, share: "s1", message: "wipe", hint: nil))
        #expect(failed.verdict == .failed && failed.description == "wipe")
    }

    @Test func configurationErrorsCarryTheirPlaceInTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-werr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("gshare.toml").path
        try "system_cns = [\"n1\"]\nglusterfs_targets = [\"g1;reboot:/v\"]\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: WorkflowError.self) {
            try ConfigurationWorkflow.load(ConfigurationSource(explicit: file, environment: [:], currentDirectory: "/"))
        }
        #expect(error.code.rawValue == "invalid-target" && error.verdict == .failed)
        #expect(error.location?.file == file && error.location?.line == 2 && error.location?.key == "glusterfs_targets")
        #expect(error.message.hasPrefix("\(file):2:"))
    }

    @Test func anythingUnknownIsAnInternalErrorAskingForAReport() {
        struct Strange: Error {}
        let error = WorkflowError(Strange())
        #expect(error.code == .internalError && error.verdict == .failed && error.fix?.contains("report") == true)
    }

    @Test func verdictsOrderFailedAboveRefusedAboveOk() {
        #expect(Verdict.ok.worse(.refused) == .refused)
        #expect(Verdict.failed.worse(.refused) == .failed)
        #expect(Verdict.ok.worse(.ok) == .ok)
    }

    @Test func sinceTakesAnAgeOrAnRFC3339Time() throws {
        let now = Date(timeIntervalSince1970: 1_780_272_000)
        #expect(try Workflows.parseSince("1h", now: now) == now.addingTimeInterval(-3600))
        #expect(try Workflows.parseSince("7d", now: now) == now.addingTimeInterval(-7 * 86400))
        #expect(try Workflows.parseSince("2026-06-01T00:00:00Z", now: now) == now)
        let error = try #require(throws: WorkflowError.self) { try Workflows.parseSince("yesterday", now: now) }
        #expect(error.code == .invalidRequest && error.fix?.contains("RFC 3339") == true)
    }
}

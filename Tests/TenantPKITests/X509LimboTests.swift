//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

/// Every x509-limbo case (fixtures/x509-limbo/limbo.json) through both layers, against
/// the outcomes pinned in fixtures/x509-limbo/expectations.json: the GlusterFS verdict,
/// the policy verdict and the error codes. Where gshare's verdict differs from limbo's
/// expected result, the pin names the documented reason (fixtures/x509-limbo/README.md);
/// where it agrees, it names none. Any change of a verdict or a code fails.
///
/// To re-pin after an intended change, run with `GSHARE_LIMBO_RECORD=<file>` and review the
/// difference between that file and expectations.json before replacing it.
@Suite("x509-limbo: both layers over every case, pinned")
struct X509LimboTests {
    @Test("every limbo case is pinned, and every documented reason is used")
    func everyCaseIsPinnedAndEveryReasonIsUsed() throws {
        let pins = LimboPins.shared
        let ids = LimboSuite.shared.testcases.map(\.id)
        #expect(ids.count == 208)
        #expect(Set(ids).count == ids.count, "duplicate limbo ids")
        #expect(pins.cases.map(\.id) == ids, "expectations.json must list the limbo cases in limbo.json's order")

        let used = Set(pins.cases.flatMap { [$0.glusterfsDiffers, $0.policyDiffers].compactMap { $0 } })
        #expect(used.subtracting(pins.reasons.keys).isEmpty, "undocumented reasons: \(used.subtracting(pins.reasons.keys))")
        #expect(Set(pins.reasons.keys).subtracting(used).isEmpty, "unused reasons: \(Set(pins.reasons.keys).subtracting(used))")
    }

    @Test(arguments: LimboSuite.shared.testcases)
    func outcomeMatchesThePinnedOutcome(_ limboCase: LimboCase) throws {
        let pin = try #require(LimboPins.shared.pin(for: limboCase.id))
        let outcome = try limboCase.judge()
        #expect(pin.limbo == limboCase.expectedResult, "expectations.json records the wrong limbo result")
        #expect(outcome.glusterfs == pin.glusterfs, "GlusterFS layer; findings: \(outcome.findings)")
        #expect(outcome.policy == pin.policy, "policy layer; findings: \(outcome.findings)")
        #expect(outcome.codes == pin.codes, "error codes; findings: \(outcome.findings)")

        // A reason exactly where gshare disagrees with limbo, and none where it agrees.
        let limboAccepts = limboCase.expectedResult == "SUCCESS"
        #expect((outcome.glusterfs == "accept") == limboAccepts ? pin.glusterfsDiffers == nil : pin.glusterfsDiffers != nil,
                "GlusterFS layer \(outcome.glusterfs), limbo \(limboCase.expectedResult): reason \(pin.glusterfsDiffers ?? "none")")
        #expect((outcome.policy == "accept") == limboAccepts ? pin.policyDiffers == nil : pin.policyDiffers != nil,
                "policy \(outcome.policy), limbo \(limboCase.expectedResult): reason \(pin.policyDiffers ?? "none")")
    }

    /// The GlusterFS layer is OpenSSL's verdict, whatever limbo expects.
    @Test(arguments: LimboSuite.shared.testcases)
    func glusterFSLayerIsOpenSSLVerify(_ limboCase: LimboCase) async throws {
        let outcome = try limboCase.judge()
        let files = try limboCase.writeFiles()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        var arguments = [
            "verify", "-auth_level", "\(systemSecurityLevel)", "-verify_depth", "\(limboCase.depth)",
            "-attime", "\(Int(try limboCase.validationDate().timeIntervalSince1970.rounded(.down)))",
            "-CAfile", files.trusted,
        ]
        if let untrusted = files.untrusted { arguments += ["-untrusted", untrusted] }
        if let crls = files.crls { arguments += ["-crl_check_all", "-CRLfile", crls] }
        arguments.append(files.peer)
        let result = try await runProcess(OpenSSLDifferentialTests.opensslPath, arguments)
        let opensslAccepts = result.status == 0
        #expect((outcome.glusterfs == "accept") == opensslAccepts, "openssl verify: \(result.stdout) \(result.stderr)")
    }

    /// Writes expectations.json as the code judges today, keeping the documented reasons
    /// where a difference persists; a new difference gets the reason "TODO".
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GSHARE_LIMBO_RECORD"] != nil))
    func recordTodaysOutcomes() throws {
        let path = try #require(ProcessInfo.processInfo.environment["GSHARE_LIMBO_RECORD"])
        let pins = LimboPins.shared
        var lines: [String] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for limboCase in LimboSuite.shared.testcases {
            let outcome = try limboCase.judge()
            let old = pins.pin(for: limboCase.id)
            let limboAccepts = limboCase.expectedResult == "SUCCESS"
            func reason(_ verdict: String, _ previous: String?) -> String? {
                (verdict == "accept") == limboAccepts ? nil : previous ?? "TODO"
            }
            let pin = LimboPins.Pin(
                id: limboCase.id, limbo: limboCase.expectedResult, glusterfs: outcome.glusterfs, policy: outcome.policy,
                codes: outcome.codes, glusterfsDiffers: reason(outcome.glusterfs, old?.glusterfsDiffers),
                policyDiffers: reason(outcome.policy, old?.policyDiffers))
            lines.append("    " + String(decoding: try encoder.encode(pin), as: UTF8.self))
        }
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let reasons = try pins.reasons.keys.sorted().map { "    \(try json($0)): \(try json(pins.reasons[$0]!))" }
        let text = """
            {
              "source": \(try json(pins.source)),
              "validationTime": \(try json(pins.validationTime)),
              "depth": \(pins.depth),
              "reasons": {
            \(reasons.joined(separator: ",\n"))
              },
              "cases": [
            \(lines.joined(separator: ",\n"))
              ]
            }
            """
        try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

// MARK: - The limbo suite and the pins

/// The compiled x509-limbo suite (only the fields gshare uses).
struct LimboSuite: Decodable {
    let version: Int
    let testcases: [LimboCase]

    static let shared: LimboSuite = {
        let url = repositoryRoot.appendingPathComponent("fixtures/x509-limbo/limbo.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(LimboSuite.self, from: Data(contentsOf: url))
    }()
}

struct LimboCase: Decodable, Sendable, CustomTestStringConvertible {
    let id: String
    let validationKind: String
    let trustedCerts: [String]
    let untrustedIntermediates: [String]
    let peerCertificate: String
    let validationTime: String?
    let expectedResult: String
    let maxChainDepth: Int?
    let crls: [String]

    var testDescription: String { id }

    /// limbo's `max_chain_depth` (intermediates allowed, OpenSSL's meaning), else the pinned default.
    var depth: Int { maxChainDepth ?? LimboPins.shared.depth }

    /// limbo's `validation_time`, else the pinned default (limbo's "now", fixed so that pins hold).
    func validationDate() throws -> Date { try RFC3339.parse(validationTime ?? LimboPins.shared.validationTime) }

    struct Files {
        let directory: URL
        let trusted: String
        let untrusted: String?
        let crls: String?
        let peer: String
    }

    /// The case as the PEM files `gshare cert verify` and `openssl verify` take.
    func writeFiles() throws -> Files {
        let directory = try makeTemporaryDirectory()
        func write(_ name: String, _ blocks: [String]) throws -> String? {
            guard !blocks.isEmpty else { return nil }
            let path = directory.appendingPathComponent(name).path
            try blocks.joined().write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        return Files(
            directory: directory, trusted: try write("trusted.pem", trustedCerts)!,
            untrusted: try write("untrusted.pem", untrustedIntermediates), crls: try write("crls.pem", crls),
            peer: try write("peer.pem", [peerCertificate])!)
    }

    struct Outcome {
        let glusterfs: String
        let policy: String
        let codes: [String]
        let findings: [Finding]
    }

    /// Both layers, as `gshare cert verify` runs them, at the case's time and depth.
    func judge() throws -> Outcome {
        let files = try writeFiles()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let store = try TrustStore(
            caFile: files.trusted, untrustedFiles: files.untrusted.map { [$0] } ?? [], crlFiles: files.crls.map { [$0] } ?? [])
        let verifier = CertificateVerifier(
            trustStore: store, options: VerificationOptions(depth: depth, time: try validationDate()))
        let report = verifier.verify(chain: try Certificate.load(fromFile: files.peer))
        return Outcome(
            glusterfs: report.acceptedByGlusterFS ? "accept" : "reject", policy: report.passesPolicy ? "accept" : "reject",
            codes: Set(report.errors.map(\.code.rawValue)).sorted(), findings: report.findings)
    }
}

/// fixtures/x509-limbo/expectations.json: today's outcome of every case, and why gshare
/// differs from limbo where it does.
struct LimboPins: Codable {
    struct Pin: Codable {
        let id: String
        /// limbo's expected result, SUCCESS or FAILURE.
        let limbo: String
        let glusterfs: String
        let policy: String
        /// The error codes of both layers, sorted.
        let codes: [String]
        /// A key of ``LimboPins/reasons`` when the GlusterFS verdict differs from limbo's.
        let glusterfsDiffers: String?
        /// A key of ``LimboPins/reasons`` when the policy verdict differs from limbo's.
        let policyDiffers: String?
    }

    let source: String
    /// The time used for cases that give none.
    let validationTime: String
    /// The depth used for cases that give no max_chain_depth.
    let depth: Int
    let reasons: [String: String]
    let cases: [Pin]

    func pin(for id: String) -> Pin? { cases.first { $0.id == id } }

    static let shared: LimboPins = {
        let url = repositoryRoot.appendingPathComponent("fixtures/x509-limbo/expectations.json")
        return try! JSONDecoder().decode(LimboPins.self, from: Data(contentsOf: url))
    }()
}

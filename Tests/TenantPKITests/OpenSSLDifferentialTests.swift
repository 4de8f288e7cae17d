//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

/// gshare's strict layer against `openssl verify -purpose sslclient -auth_level 2` over
/// the whole corpus. Where openssl rejects, gshare must reject for the same reason; where
/// openssl accepts, gshare may only reject for a reason openssl does not check.
///
/// What gshare deliberately says more about (documented in fixtures/certs/README.md):
/// the CN rules (missing, several, string type, characters), a missing EKU (openssl's
/// sslclient purpose accepts a leaf without EKU), CA:TRUE or keyCertSign leaves, key
/// types outside the policy, and everything about the private-key file.
@Suite("Differential: gshare's strict layer vs openssl verify")
struct OpenSSLDifferentialTests {
    static let gshareSaysMore: Set<String> = [
        "cn-missing", "cn-multiple", "cn-string-type", "cn-invalid", "eku-missing", "leaf-is-ca", "leaf-can-sign",
        "key-type-unsupported", "key-mismatch", "key-encrypted",
        // RFC 5280 structure that OpenSSL does not enforce without X509_V_FLAG_X509_STRICT.
        "serial-zero", "serial-negative", "serial-too-long", "aki-missing", "ca-ski-missing", "duplicate-extension",
        "certificate-not-v3", "dsa-key", "rsa-modulus-not-byte-multiple", "malformed-san-under-name-constraints",
    ]

    /// The gshare codes that explain each OpenSSL verify error number.
    static let codesForOpenSSLError: [Int: Set<String>] = [
        2: ["issuer-unknown"], 20: ["issuer-unknown"], 21: ["issuer-unknown"],
        3: ["crl-missing"], 12: ["crl-expired"], 9: ["certificate-not-yet-valid"], 10: ["certificate-expired"],
        18: ["self-signed-untrusted"], 19: ["self-signed-untrusted"], 22: ["chain-too-long"], 23: ["certificate-revoked"],
        79: ["intermediate-not-ca"], 25: ["path-length-exceeded"],
        26: ["eku-lacks-client-auth", "purpose-not-client", "chain-purpose-mismatch", "intermediate-not-ca"],
        66: ["key-too-weak"], 67: ["key-too-weak"], 68: ["signature-too-weak"], 34: ["unhandled-critical-extension"],
    ]

    static let opensslPath = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }!

    @Test(arguments: CorpusManifest.verdictCases)
    func strictLayerAgreesWithOpenSSLVerify(_ corpusCase: CorpusManifest.Case) async throws {
        let report = try corpusCase.verify()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        // openssl verify reads only the first certificate of a file and only PEM: hand it the
        // leaf as PEM, and the rest of a chain file as -untrusted.
        let presented = try Certificate.load(fromFile: corpusPath(corpusCase.leaf))
        let leafFile = directory.appendingPathComponent("leaf.pem")
        try presented[0].pemString.write(to: leafFile, atomically: true, encoding: .utf8)
        var arguments = [
            "verify", "-purpose", "sslclient", "-auth_level", "2", "-verify_depth", "\(corpusCase.depth)",
            "-attime", "\(Int(CorpusManifest.referenceDate.timeIntervalSince1970))", "-CAfile", corpusPath(corpusCase.ca!),
        ]
        var untrusted = presented.dropFirst().map(\.pemString).joined()
        if let file = corpusCase.untrusted { untrusted += try String(contentsOfFile: corpusPath(file), encoding: .utf8) }
        if !untrusted.isEmpty {
            let untrustedFile = directory.appendingPathComponent("untrusted.pem")
            try untrusted.write(to: untrustedFile, atomically: true, encoding: .utf8)
            arguments += ["-untrusted", untrustedFile.path]
        }
        if !corpusCase.crls.isEmpty {
            arguments += ["-crl_check_all"] + corpusCase.crls.flatMap { ["-CRLfile", corpusPath($0)] }
        }
        arguments.append(leafFile.path)

        let result = try await runProcess(Self.opensslPath, arguments)
        let opensslAccepts = result.status == 0 && result.stdout.contains(": OK")
        let gshareCodes = Set(report.errors.map(\.code.rawValue))

        if opensslAccepts {
            #expect(
                gshareCodes.isSubset(of: Self.gshareSaysMore),
                "openssl accepts, gshare rejects for reasons openssl does check: \(gshareCodes.subtracting(Self.gshareSaysMore))")
        } else {
            #expect(!report.passesPolicy, "openssl rejects but gshare's strict layer accepts: \(result.stderr)")
            // Every error openssl names must be explained by a gshare finding.
            let numbers = result.stderr.matches(of: /error (\d+) at \d+ depth/).compactMap { Int($0.1) }
            #expect(!numbers.isEmpty, "openssl gave no error number: \(result.stdout) \(result.stderr)")
            for number in numbers {
                let explaining = try #require(Self.codesForOpenSSLError[number], "no mapping for openssl error \(number)")
                #expect(!explaining.isDisjoint(with: gshareCodes), "openssl error \(number) not explained by \(gshareCodes)")
            }
        }
    }
}

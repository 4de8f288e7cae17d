//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

/// The tenant policy's RFC 5280 structural checks beyond the corpus (which has one leaf
/// per defect): each finds its defect wherever the rule applies in the chain, and names
/// the certificate by its depth. The chains are x509-limbo's.
@Suite("Tenant policy: RFC 5280 structure anywhere in the chain")
struct StructureChecksTests {
    struct Placement: CustomTestStringConvertible, Sendable {
        let limboCase: String
        let code: String
        let depth: Int
        var testDescription: String { "\(code) at depth \(depth) in \(limboCase)" }
    }

    static let placements: [Placement] = [
        Placement(limboCase: "rfc5280::serial::zero", code: "serial-zero", depth: 0),
        Placement(limboCase: "rfc5280::serial::too-long", code: "serial-too-long", depth: 0),
        Placement(limboCase: "rfc5280::serial::negative", code: "serial-negative", depth: 0),
        Placement(limboCase: "rfc5280::aki::leaf-missing-aki", code: "aki-missing", depth: 0),
        Placement(limboCase: "rfc5280::aki::intermediate-missing-aki", code: "aki-missing", depth: 1),
        Placement(limboCase: "rfc5280::ski::intermediate-missing-ski", code: "ca-ski-missing", depth: 1),
        Placement(limboCase: "rfc5280::ski::root-missing-ski", code: "ca-ski-missing", depth: 1),
        Placement(limboCase: "rfc5280::duplicate-extensions", code: "duplicate-extension", depth: 0),
        Placement(limboCase: "webpki::v1-cert", code: "certificate-not-v3", depth: 0),
        Placement(limboCase: "webpki::forbidden-dsa-leaf", code: "dsa-key", depth: 0),
        Placement(limboCase: "webpki::forbidden-dsa-root", code: "dsa-key", depth: 1),
        Placement(limboCase: "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf", code: "rsa-modulus-not-byte-multiple", depth: 0),
        Placement(limboCase: "webpki::forbidden-rsa-not-divisible-by-8-in-root", code: "rsa-modulus-not-byte-multiple", depth: 1),
        Placement(limboCase: "rfc5280::nc::nc-permits-invalid-dns-san", code: "malformed-san-under-name-constraints", depth: 0),
        Placement(limboCase: "rfc5280::nc::nc-permits-invalid-email-san", code: "malformed-san-under-name-constraints", depth: 0),
        Placement(limboCase: "rfc5280::unknown-critical-extension-root", code: "unhandled-critical-extension", depth: 1),
    ]

    @Test(arguments: placements)
    func aDefectIsReportedAtTheCertificateThatHasIt(_ placement: Placement) throws {
        let limboCase = try #require(LimboSuite.shared.testcases.first { $0.id == placement.limboCase })
        let findings = try limboCase.judge().findings.filter { $0.code.rawValue == placement.code }
        #expect(findings.map(\.depth) == [placement.depth], "\(findings)")
        for finding in findings {
            #expect(finding.severity == .error)
            #expect(finding.message.contains(placement.depth == 0 ? "the certificate" : "(chain depth \(placement.depth))"))
            #expect(!finding.fix.isEmpty)
        }
    }

    @Test func aCertificateWithABrokenExtensionStillHasItsKeyIdentifiersRead() throws {
        // subjectAltName twice: OpenSSL marks the certificate invalid and caches nothing,
        // but its authorityKeyIdentifier is there.
        let limboCase = try #require(LimboSuite.shared.testcases.first { $0.id == "rfc5280::duplicate-extensions" })
        let findings = try limboCase.judge().findings
        #expect(!findings.contains { $0.code == .akiMissing }, "\(findings)")
        let duplicate = try #require(findings.first { $0.code == .duplicateExtension })
        #expect(duplicate.message.contains("subjectAltName (2 copies)"), "\(duplicate.message)")
    }

    @Test func aTrustAnchorsSerialNumberIsNotJudged() throws {
        // Starfield Root Certificate Authority - G2, trusted by every browser, has serial 0.
        let limboCase = try #require(LimboSuite.shared.testcases.first { $0.id == "online::fastly.com" })
        let anchor = try #require(Certificate.parse(fileBytes: Array(limboCase.trustedCerts[0].utf8), path: "anchor").first)
        #expect(anchor.serialNumberEncoding.isZero)
        let codes = try limboCase.judge().codes
        #expect(!codes.contains("serial-zero"), "\(codes)")
    }

    @Test func aMalformedNameOutsideNameConstraintsIsLeftToOtherRules() throws {
        // `_` is not allowed in a DNS name, but no CA of this chain has name constraints.
        let limboCase = try #require(LimboSuite.shared.testcases.first { $0.id == "rfc5280::san::underscore-dns" })
        #expect(try !limboCase.judge().codes.contains("malformed-san-under-name-constraints"))
    }

    @Test func theMessageNamesTheUnknownCriticalExtension() throws {
        let limboCase = try #require(LimboSuite.shared.testcases.first { $0.id == "rfc5280::unknown-critical-extension-ee" })
        let finding = try #require(try limboCase.judge().findings.first { $0.code == .unhandledCriticalExtension })
        #expect(finding.layers == .both)
        #expect(finding.message.contains("(1.3.6.1.4.1.55738.666.1)"), "\(finding.message)")
    }
}

@Suite("Name syntax: DNS names and email addresses in certificates")
struct NameSyntaxTests {
    @Test(arguments: [
        ("tenants.example", nil), ("a-1.b2.example", nil), ("xn--bcher-kva.example", nil),
        (".example.com", "starts with a dot"), ("example.com.", "ends with a dot"),
        ("a..example", "has an empty label (two dots in a row)"), ("", "is empty"),
        ("under_score.example", "contains '_', which is not a letter, digit or hyphen"),
        ("-lead.example", "has a label that starts or ends with a hyphen"),
        ("trail-.example", "has a label that starts or ends with a hyphen"),
        ("*.example.com", "contains '*', which is not a letter, digit or hyphen"),
        (String(repeating: "a", count: 64) + ".example", "has a label of 64 bytes; at most 63 are allowed"),
        (Array(repeating: "abcdefghi", count: 26).joined(separator: "."), "is 259 bytes long; at most 253 are allowed"),
        ("caf\u{e9}.example", "contains the byte 0xC3, which is not a letter, digit or hyphen"),
    ] as [(String, String?)])
    func dnsNames(_ name: String, _ problem: String?) {
        #expect(NameSyntax.dnsNameProblem(Array(name.utf8)) == problem)
    }

    @Test func aWildcardIsAllowedOnlyAsTheWholeLeftmostLabelWhenAsked() {
        #expect(NameSyntax.dnsNameProblem(Array("*.example.com".utf8), allowingWildcard: true) == nil)
        #expect(NameSyntax.dnsNameProblem(Array("*".utf8), allowingWildcard: true) != nil)
        #expect(NameSyntax.dnsNameProblem(Array("a.*.example".utf8), allowingWildcard: true) != nil)
        #expect(NameSyntax.dnsNameProblem(Array("f*.example".utf8), allowingWildcard: true) != nil)
    }

    @Test(arguments: [
        ("tenant-a@tenants.example", nil), ("first.last+tag@tenants.example", nil),
        ("invalid@address@example.com", "has 2 '@' signs; an address has exactly one"), ("nobody", "has no '@'"),
        ("@tenants.example", "has nothing before the '@'"), ("a b@tenants.example", "has a space before the '@'"),
        ("a@.tenants.example", "has a domain that starts with a dot"), ("a@", "has a domain that is empty"),
    ] as [(String, String?)])
    func emailAddresses(_ address: String, _ problem: String?) {
        #expect(NameSyntax.emailAddressProblem(Array(address.utf8)) == problem)
    }

    @Test func issuanceRefusesAMalformedDNSNameAndSaysWhy() {
        #expect {
            try SubjectAlternativeName(validating: "DNS:.node1.example")
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code == .issuanceRefused && error.description.contains("starts with a dot")
        }
    }
}

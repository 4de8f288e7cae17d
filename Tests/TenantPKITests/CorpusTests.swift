//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

/// Every case of the certificate corpus (fixtures/certs/cases.json) is judged and its
/// verdicts, GlusterFS-visible name and reasons asserted.
@Suite("Certificate corpus: verdicts, names and reasons")
struct CorpusTests {
    /// A phrase each expected reason's message must contain (the reason text, not just its code).
    static let reasonPhrases: [String: String] = [
        "certificate-expired": "expired on 2021-01-01T00:00:00Z",
        "certificate-not-yet-valid": "not valid before 2030-01-01T00:00:00Z",
        "issuer-unknown": "is neither a trusted CA",
        "self-signed-untrusted": "self-signed",
        "intermediate-not-ca": "is not a CA",
        "path-length-exceeded": "pathlen",
        "chain-too-long": "allowed depth",
        "certificate-revoked": "is revoked",
        "crl-missing": "no CRL was given",
        "crl-expired": "past its nextUpdate",
        "key-too-weak": "1024",
        "signature-too-weak": "signed with",
        "key-mismatch": "does not belong to this certificate",
        "leaf-is-ca": "CA:TRUE",
        "leaf-can-sign": "keyCertSign",
        "eku-missing": "no extendedKeyUsage",
        "eku-lacks-client-auth": "lacks clientAuth",
        "cn-missing": "no CN",
        "cn-multiple": "2 CNs",
        "cn-string-type": "BMPString",
        "cn-invalid": "cannot be listed safely",
        "key-encrypted": "is encrypted",
        "purpose-not-client": "TLS-client purpose rejects",
        "chain-purpose-mismatch": "may not issue TLS client certificates",
        "key-type-unsupported": "EC secp256k1",
        "unhandled-critical-extension": "critical extension OpenSSL does not understand (1.3.6.1.4.1.32473.1)",
        "serial-zero": "has serial number 0",
        "serial-negative": "has a negative serial number",
        "serial-too-long": "has a 21-octet serial number",
        "aki-missing": "has no authorityKeyIdentifier",
        "ca-ski-missing": "\"CN=gshare Corpus Intermediate without SKI\" (chain depth 1) has no subjectKeyIdentifier",
        "duplicate-extension": "contains authorityInfoAccess (2 copies)",
        "certificate-not-v3": "is an X.509 v1 certificate yet carries extensions",
        "dsa-key": "has a DSA key (2048 bits)",
        "rsa-modulus-not-byte-multiple": "has a 2052-bit RSA modulus",
        "malformed-san-under-name-constraints":
            "under the name constraints of \"CN=gshare Corpus Intermediate tenants.example only\", but in its subjectAltName the email address \"tenant@bad@tenants.example\" has 2 '@' signs",
    ]

    /// Where one code covers several cases, the phrase that tells this case's reason apart.
    static let casePhrases: [String: String] = [
        "sha1-signature": "signed with ecdsa-with-SHA1", "md5-signature": "signed with md5WithRSAEncryption",
        "rsa1024": "RSA 1024", "cn-nul": "contains a NUL byte", "cn-comma": "contains a comma", "cn-space": "contains a space",
        "cn-star": "contains '*', which auth.ssl-allow would treat as a glob pattern", "cn-question": "contains '?'",
        "cn-bracket": "contains '['", "cn-utf8": "non-ASCII", "cn-leading-space": "starts with a space",
        "cn-too-long": "65 bytes long", "eku-any": "anyExtendedKeyUsage is not enough",
    ]

    @Test("the corpus covers every case the issue lists")
    func corpusIsComplete() {
        let ids = Set(CorpusManifest.shared.cases.map(\.id))
        let required = [
            "good-rsa2048", "good-rsa4096", "good-p256", "good-ed25519", "good-one-intermediate", "good-two-intermediates",
            "expired", "not-yet-valid", "eku-server-only", "eku-any", "no-eku", "leaf-keycertsign", "leaf-ca-true", "no-cn",
            "two-cns", "cn-comma", "cn-space", "cn-star", "cn-question", "cn-bracket", "cn-nul", "cn-bmpstring", "cn-utf8",
            "cn-leading-space", "cn-too-long", "rsa1024", "sha1-signature", "md5-signature", "self-signed-leaf",
            "untrusted-issuer", "intermediate-not-ca", "pathlen-exceeded", "chain-too-deep", "revoked",
            "crl-missing-intermediate", "crl-expired", "key-mismatch", "key-encrypted", "good-der", "garbage", "empty",
            "pem-trailing-garbage", "ku-no-digital-signature", "intermediate-eku-server", "key-secp256k1",
            // RFC 5280 structure (issue 12, item 12)
            "serial-zero", "serial-negative", "serial-too-long", "aki-missing", "ca-ski-missing",
            "unknown-critical-extension", "duplicate-extension", "version-1", "dsa-key", "rsa-modulus-not-byte-multiple",
            "san-malformed-under-name-constraints", "good-name-constrained",
        ]
        #expect(Set(required).subtracting(ids).isEmpty, "missing corpus cases: \(Set(required).subtracting(ids).sorted())")
    }

    @Test(arguments: CorpusManifest.verdictCases)
    func verdictsNameAndReasonsMatchTheCorpus(_ corpusCase: CorpusManifest.Case) throws {
        let report = try corpusCase.verify()
        let expect = corpusCase.expect

        #expect(report.acceptedByGlusterFS == (expect.glusterfs == "accept"), "GlusterFS layer")
        #expect(report.passesPolicy == (expect.policy == "accept"), "policy layer")
        #expect(report.isValid == (report.acceptedByGlusterFS && report.passesPolicy))
        #expect(report.glusterFSName.hex == expect.glusterNameHex, "GlusterFS-visible name")

        let errorCodes = Set(report.errors.map(\.code.rawValue))
        #expect(errorCodes == Set(expect.codes), "reason codes; findings: \(report.findings)")
        for code in expect.codes {
            let finding = try #require(report.findings.first { $0.code.rawValue == code })
            let phrase = try #require(
                expect.codes.count == 1 ? Self.casePhrases[corpusCase.id] ?? Self.reasonPhrases[code] : Self.reasonPhrases[code],
                "no reason phrase recorded for \(code)")
            #expect(finding.message.contains(phrase), "reason text of \(code): \(finding.message)")
            #expect(!finding.fix.isEmpty)
        }
        // Principle 1: an identity exists exactly when both layers accept, and it carries the
        // name GlusterFS will see.
        if let identity = report.identity {
            #expect(Array(identity.commonName.value.utf8) == report.glusterFSName.bytes)
        } else {
            #expect(!report.isValid)
        }
    }

    @Test(arguments: CorpusManifest.errorCases)
    func unusableFilesAreErrorsNamingTheFile(_ corpusCase: CorpusManifest.Case) {
        #expect {
            try corpusCase.verify()
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code.rawValue == corpusCase.expect.codes.first && error.path == corpusPath(corpusCase.leaf)
                && error.description.contains(corpusPath(corpusCase.leaf))
        }
    }
}

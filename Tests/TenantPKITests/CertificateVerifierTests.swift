//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

@Suite("CertificateVerifier behaviour beyond the corpus table")
struct CertificateVerifierTests {
    private func verifier(crls: [String] = [], at time: Date? = CorpusManifest.referenceDate) throws -> CertificateVerifier {
        let store = try TrustStore(
            caFile: corpusPath("ca/tenant-root.pem"), untrustedFiles: [corpusPath("ca/tenant-int.pem")],
            crlFiles: crls.map(corpusPath))
        return CertificateVerifier(trustStore: store, options: VerificationOptions(time: time))
    }

    @Test func aKeyFileReadableByOthersIsAWarningNotAFailure() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("tenant.key").path
        try FileManager.default.copyItem(atPath: corpusPath("cases/good-p256.key"), toPath: keyPath)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        let chain = try Certificate.load(fromFile: corpusPath("cases/good-p256.pem"))
        let loose = try verifier().verify(chain: chain, key: PrivateKeyFile(path: keyPath))
        #expect(loose.isValid)
        let warning = try #require(loose.warnings.first)
        #expect(warning.code == .keyFilePermissions)
        #expect(warning.message.contains("0644") && warning.fix == "chmod 600 \(keyPath)")

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        let tight = try verifier().verify(chain: chain, key: PrivateKeyFile(path: keyPath))
        #expect(tight.isValid && tight.findings.isEmpty)
    }

    @Test func aMatchingKeyPassesAndAnEncryptedOneIsReported() throws {
        let key = try PrivateKeyFile(path: corpusPath("cases/key-encrypted.key"))
        #expect(key.isEncrypted)
        #expect(try PrivateKeyFile(path: corpusPath("cases/good-p256.key")).key != nil)
    }

    @Test func aCertificateIsNotAPrivateKey() {
        #expect {
            try PrivateKeyFile(path: corpusPath("cases/good-p256.pem"))
        } throws: { ($0 as? PKIError)?.code == .notAPrivateKey }
    }

    @Test func theCheckTimeDecidesValidity() throws {
        let chain = try Certificate.load(fromFile: corpusPath("cases/good-p256.pem"))
        #expect(try verifier(at: RFC3339.parse("2026-06-01T00:00:00Z")).verify(chain: chain).isValid)
        let late = try verifier(at: RFC3339.parse("2037-01-01T00:00:00+02:00")).verify(chain: chain)
        #expect(late.errors.map(\.code) == [.certificateExpired])
        let early = try verifier(at: RFC3339.parse("2024-06-01T00:00:00.5Z")).verify(chain: chain)
        #expect(early.errors.map(\.code) == [.certificateNotYetValid])
    }

    @Test func everyReasonIsListedNotJustTheFirst() throws {
        // Expired AND signed by an unknown CA AND (policy) fine otherwise: both chain reasons appear.
        let store = try TrustStore(caFile: corpusPath("ca/other-root.pem"))
        let report = CertificateVerifier(
            trustStore: store, options: VerificationOptions(time: CorpusManifest.referenceDate)
        ).verify(chain: try Certificate.load(fromFile: corpusPath("cases/expired.pem")))
        let codes = Set(report.errors.map(\.code))
        #expect(codes.isSuperset(of: [.certificateExpired, .issuerUnknown]))
    }

    @Test func batchVerificationKeepsFileOrderAndMatchesSingleVerification() throws {
        let files = ["cases/good-p256.pem", "cases/expired.pem", "cases/empty.pem", "cases/cn-star.pem", "cases/good-ed25519.pem"]
            .map(corpusPath)
        let verifier = try verifier()
        let results = verifier.verify(files: files)
        #expect(results.count == files.count)
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let report):
                let single = verifier.verify(chain: try Certificate.load(fromFile: file))
                #expect(report.certificate == single.certificate)
                #expect(report.findings.map(\.code) == single.findings.map(\.code))
            case .failure(let error):
                #expect(file.hasSuffix("empty.pem") && error.code == .fileEmpty)
            }
        }
        #expect((try? results[0].get())?.isValid == true)
        #expect((try? results[1].get())?.isValid == false)
    }

    @Test func aTenantIdentityCarriesTheExactNameGlusterFSSees() throws {
        let report = try verifier().verify(chain: try Certificate.load(fromFile: corpusPath("cases/good-rsa2048.pem")))
        let identity = try #require(report.identity)
        #expect(identity.commonName.value == "tenant-rsa2048")
        #expect(identity.fingerprint == report.certificate.sha256Fingerprint)
        #expect(identity.chain.count == 3)
    }

    @Test func theGlusterFSLayerUsesTheSystemSecurityLevel() throws {
        #expect(try verifier().securityLevel == systemSecurityLevel)
        #expect(systemSecurityLevel >= 1)
    }
}

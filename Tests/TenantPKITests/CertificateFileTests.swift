//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

@Suite("Reading certificate files: strict PEM and DER")
struct CertificateFileTests {
    private var goodPEM: [UInt8] { Array(try! Data(contentsOf: URL(fileURLWithPath: corpusPath("cases/good-p256.pem")))) }

    private func expectError(_ code: PKIError.Code, for bytes: [UInt8], mentioning text: String) {
        #expect {
            try Certificate.parse(fileBytes: bytes, path: "input.pem")
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code == code && error.path == "input.pem" && error.description.contains(text)
        }
    }

    @Test func readsOnePEMCertificate() throws {
        let certificates = try Certificate.parse(fileBytes: goodPEM, path: "good.pem")
        #expect(certificates.count == 1)
        #expect(certificates[0].glusterFSName.displayText == "tenant-p256")
    }

    @Test func readsAChainFileLeafFirst() throws {
        let certificates = try Certificate.load(fromFile: corpusPath("cases/good-one-intermediate.pem"))
        #expect(certificates.count == 2)
        #expect(certificates[1].subject.contains("Intermediate"))
    }

    @Test func readsDER() throws {
        let certificate = try #require(try Certificate.load(fromFile: corpusPath("cases/good-der.der")).first)
        #expect(certificate.glusterFSName.displayText == "tenant-der")
        #expect(try Certificate(derEncoded: certificate.derBytes) == certificate)
    }

    @Test func refusesAnEmptyFile() { expectError(.fileEmpty, for: [], mentioning: "empty") }
    @Test func refusesAWhitespaceOnlyFile() { expectError(.fileEmpty, for: Array(" \n\t\n".utf8), mentioning: "empty") }
    @Test func refusesGarbage() { expectError(.notACertificate, for: Array((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }), mentioning: "neither PEM") }

    @Test func refusesDataAfterTheLastBlock() {
        expectError(.pemTrailingData, for: goodPEM + Array("junk\n".utf8), mentioning: "after the last PEM block")
    }

    @Test func refusesDataBeforeTheFirstBlock() {
        expectError(.pemLeadingData, for: Array("hello\n".utf8) + goodPEM, mentioning: "before the first")
    }

    @Test func refusesATruncatedBlock() {
        expectError(.pemMalformed, for: Array(goodPEM.prefix(goodPEM.count - 30)), mentioning: "no -----END CERTIFICATE-----")
    }

    @Test func refusesDamagedBase64() {
        var bytes = goodPEM
        let index = bytes.firstIndex(of: 0x0A)! + 5
        bytes[index] = UInt8(ascii: "!")
        expectError(.pemMalformed, for: bytes, mentioning: "cannot be decoded")
    }

    @Test func refusesAPrivateKeyInACertificateFile() throws {
        let key = Array(try Data(contentsOf: URL(fileURLWithPath: corpusPath("cases/good-p256.key"))))
        expectError(.pemUnexpectedBlock, for: goodPEM + key, mentioning: "PRIVATE KEY")
    }

    @Test func refusesDERWithTrailingBytes() throws {
        let der = try Certificate.load(fromFile: corpusPath("cases/good-p256.pem"))[0].derBytes
        expectError(.notACertificate, for: der + [0, 1, 2], mentioning: "DER")
    }

    @Test func namesAMissingFile() {
        #expect {
            try Certificate.load(fromFile: "/nonexistent/tenant.pem")
        } throws: { error in
            (error as? PKIError)?.code == .fileUnreadable && "\(error)".contains("/nonexistent/tenant.pem")
                && "\(error)".contains("No such file")
        }
    }
}

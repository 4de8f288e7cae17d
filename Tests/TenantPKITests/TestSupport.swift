//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

/// The corpus manifest (`fixtures/certs/cases.json`, written by generate.py).
struct CorpusManifest: Decodable {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        struct Expectation: Decodable, Sendable {
            let outcome: String
            let glusterfs: String?
            let policy: String?
            let glusterNameHex: String?
            let codes: [String]
            let reason: String
        }

        let id: String
        let description: String
        let leaf: String
        let ca: String?
        let untrusted: String?
        let crls: [String]
        let depth: Int
        let key: String?
        let expect: Expectation

        var testDescription: String { id }
    }

    let referenceTime: String
    let cases: [Case]

    static let shared: CorpusManifest = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: corpusPath("cases.json")))
        return try! JSONDecoder().decode(CorpusManifest.self, from: data)
    }()

    static var verdictCases: [Case] { shared.cases.filter { $0.expect.outcome == "verdict" } }
    static var errorCases: [Case] { shared.cases.filter { $0.expect.outcome == "error" } }
    static var referenceDate: Date { try! RFC3339.parse(shared.referenceTime) }
}

extension CorpusManifest.Case {
    /// Runs gshare's verification for this case at the corpus reference time.
    func verify() throws -> VerificationReport {
        let store = try TrustStore(
            caFile: corpusPath(ca!), untrustedFiles: untrusted.map { [corpusPath($0)] } ?? [],
            crlFiles: crls.map(corpusPath))
        let verifier = CertificateVerifier(
            trustStore: store, options: VerificationOptions(depth: depth, time: CorpusManifest.referenceDate))
        let chain = try Certificate.load(fromFile: corpusPath(leaf))
        let keyFile = try key.map { try PrivateKeyFile(path: corpusPath($0)) }
        return verifier.verify(chain: chain, key: keyFile)
    }
}


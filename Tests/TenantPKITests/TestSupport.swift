//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import TenantPKI

/// The repository's root, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `fixtures/certs/`, the certificate corpus.
let corpusDirectory = repositoryRoot.appendingPathComponent("fixtures/certs")

func corpusPath(_ relative: String) -> String { corpusDirectory.appendingPathComponent(relative).path }

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
        let data = try! Data(contentsOf: corpusDirectory.appendingPathComponent("cases.json"))
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

/// Runs a program with an argument vector (no shell) and returns its exit status and output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain both pipes concurrently so a chatty child cannot deadlock on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller with `removeTemporaryDirectory`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gshare-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

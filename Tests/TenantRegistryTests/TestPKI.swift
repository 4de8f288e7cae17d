//===----------------------------------------------------------------------===//
// gshare — TenantRegistry tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI

/// A tenant root made at run time, issuing verified identities.
struct TestPKI {
    let root: CertificateAuthority
    let verifier: CertificateVerifier

    init() throws {
        let folder = try makeTemporaryDirectory()
        root = try CertificateAuthority.create(in: folder.appendingPathComponent("root").path, commonName: "Registry Test Root")
        verifier = CertificateVerifier(trustStore: TrustStore(anchors: [root.certificate]))
    }

    /// A fresh certificate for `cn` that passed verification.
    func identity(_ cn: String, days: Int = 30) throws -> TenantIdentity {
        let issued = try root.issue(commonName: CommonName(validating: cn), profile: .client, days: days)
        let report = verifier.verify(chain: [issued.certificate])
        guard let identity = report.identity else { throw Unverified(findings: report.findings) }
        return identity
    }

    struct Unverified: Error { let findings: [Finding] }
}

/// A fresh state folder inside a temporary one (not created yet).
func stateFolder() throws -> String {
    try makeTemporaryDirectory().appendingPathComponent("state").path
}

func mode(of path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The SQLite header's application_id (big-endian, bytes 68-71): read from the file, not
/// through SQLite.
func applicationID(_ path: String) throws -> Int32 {
    let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(72))
    guard header.count == 72 else { return 0 }
    return Int32(bitPattern: header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
}

/// The file's SHA-256 (sha256sum), to show that a refused file was left byte-identical.
func sha256(of path: String) async throws -> String {
    let result = try await runProcess("/usr/bin/sha256sum", [path])
    guard result.status == 0, let hash = result.stdout.split(separator: " ").first else { throw HashFailed(message: result.stderr) }
    return String(hash)
}

struct HashFailed: Error { let message: String }

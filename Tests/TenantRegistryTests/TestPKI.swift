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

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import GShareWorkflows
import GlusterFSAPI
import TenantPKI

/// `gshare cert inspect --json`.
struct InspectDocument: Encodable {
    struct File: Encodable {
        let file: String
        let certificates: [CertificateSummary]?
        let error: ErrorDocument.Entry?
    }

    let files: [File]

    init(_ inspected: [InspectedFile]) {
        files = inspected.map { file in
            File(
                file: file.file, certificates: file.error == nil ? file.certificates.map(CertificateSummary.init) : nil,
                error: file.error.map(ErrorDocument.Entry.init))
        }
    }
}

/// `gshare cert verify --json`.
struct VerifyDocument: Codable {
    struct Counts: Codable {
        let valid: Int
        let invalid: Int
        let couldNotVerify: Int
    }

    let depth: Int
    let results: [VerificationSummary]
    let counts: Counts

    init(_ verification: Verification) {
        depth = verification.depth
        results = verification.files.map(\.summary)
        counts = Counts(valid: verification.valid, invalid: verification.invalid, couldNotVerify: verification.couldNotVerify)
    }
}

/// `gshare access test --json`.
struct AccessTestDocument: Codable {
    let volume: String
    let commonName: String
    let outcome: String
    let allowed: Bool
    let message: String
    let errno: Int32
    let operation: String?
    let connectMilliseconds: Int?
    let elapsedMilliseconds: Int
    let notes: [String]
    let log: [String]

    init(_ probe: AccessProbe) {
        let result = probe.result
        volume = result.connection.address.description
        commonName = probe.identity.glusterFSName
        outcome = result.outcome.rawValue
        allowed = result.isGranted
        message = result.message
        errno = result.errno
        operation = result.operation
        connectMilliseconds = result.connectTime.map(Self.milliseconds)
        elapsedMilliseconds = Self.milliseconds(result.elapsed)
        notes = probe.identity.notes
        log = result.logExcerpt
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

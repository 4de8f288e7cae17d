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
    /// The attempt as anyone: no certificate, plain text, reading only.
    struct Anyone: Codable {
        let outcome: String
        let message: String
        let errno: Int32
    }

    let volume: String
    let commonName: String
    /// The identity's own attempt.
    let outcome: String
    let allowed: Bool
    /// True when a client without a certificate got in in plain text (TLS off): the
    /// certificate was never checked, `allowed` proves nothing (exit status 4).
    let admitsAnyone: Bool
    let anyone: Anyone
    /// ok, refused or failed (refused when the volume admits anyone).
    let verdict: String
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
        admitsAnyone = probe.admitsAnyone
        anyone = Anyone(outcome: probe.anyone.outcome.rawValue, message: probe.anyone.message, errno: probe.anyone.errno)
        verdict = probe.verdict.rawValue
        message = result.message
        errno = result.errno
        operation = result.operation
        connectMilliseconds = result.connectTime.map(Self.milliseconds)
        elapsedMilliseconds = Self.milliseconds(result.elapsed)
        var notes = probe.identity.notes
        if probe.openAccessUnknown && !probe.admitsAnyone {
            notes.append("could not tell whether the volume admits clients without a certificate (\(probe.anyone.outcome): \(probe.anyone.message))")
        }
        self.notes = notes
        log = result.logExcerpt
    }

    /// Whole milliseconds, saturating (a duration is never this long, but never trap).
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? Int.min : Int.max }
        let (sum, overflowed) = Int(whole).addingReportingOverflow(Int(attoseconds / 1_000_000_000_000_000))
        return overflowed ? Int.max : sum
    }
}

//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import GlusterFSAPI
import Testing

@testable import gshare

/// How `access test` judges its two attempts (the identity's and anyone's) and maps them to
/// the exit status and the text, without the lab.
@Suite("gshare access test: verdict, exit status and text")
struct AccessTestVerdictTests {
    static let address = GlusterVolumeAddress(host: "127.0.0.2", volume: "vol")

    static func attempt(_ outcome: GlusterAccessOutcome, transport: GlusterTransportSecurity = .followVolume) -> AccessProbeResult {
        AccessProbeResult(
            connection: GlusterConnection(address: address, identity: nil, transport: transport), outcome: outcome,
            errno: outcome == .ok ? 0 : 5, operation: outcome == .ok ? nil : "glfs_init", message: outcome == .ok ? "ok" : "\(outcome)",
            logExcerpt: [], bytesVerified: outcome == .ok ? 60 : 0, connectTime: .milliseconds(12), elapsed: .milliseconds(40))
    }

    static func probe(_ identity: GlusterAccessOutcome, anyone: GlusterAccessOutcome) -> AccessProbe {
        AccessProbe(
            identity: ProbeIdentity(glusterFSName: "tenant-a", notes: []), result: attempt(identity),
            anyone: attempt(anyone, transport: .plainText))
    }

    @Test(arguments: [
        // identity, anyone -> exit status, verdict
        (GlusterAccessOutcome.ok, GlusterAccessOutcome.tlsRejected, Int32(0), Verdict.ok),
        (.ok, .ok, 4, .refused),  // TLS off: the certificate proved nothing
        (.tlsRejected, .ok, 4, .refused),  // client.ssl on, server.ssl off: refused, yet anyone gets in
        (.refusedByAuthAllow, .ok, 4, .refused),
        (.refusedByAuthAllow, .tlsRejected, 1, .refused),
        (.volumeStopped, .volumeStopped, 1, .refused),
        (.ok, .timedOut, 0, .ok),  // could not tell: a note, not a verdict
        (.glusterdUnreachable, .glusterdUnreachable, 2, .failed),
        (.timedOut, .ok, 4, .refused),
    ])
    func theVolumeAdmittingAnyoneHasAnExitStatusOfItsOwn(
        _ identity: GlusterAccessOutcome, _ anyone: GlusterAccessOutcome, _ status: Int32, _ verdict: Verdict
    ) {
        let probe = Self.probe(identity, anyone: anyone)
        #expect(probe.verdict == verdict)
        #expect(probe.admitsAnyone == (anyone == .ok))
        #expect(ExitStatus.of(probe) == ExitCode(status))
    }

    @Test func admitsAnyoneIsADistinctStatusFromEveryVerdict() {
        #expect(!Verdict.allCases.map(ExitStatus.of).contains(ExitStatus.admitsAnyone))
        #expect(ExitStatus.admitsAnyone != ExitCode.validationFailure)
    }

    @Test func anOpenVolumeIsSaidLoudlyFirstAndTheIdentityResultComesSecond() {
        let text = AccessText.render(AccessTestDocument(Self.probe(.ok, anyone: .ok)))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "\"tenant-a\" on 127.0.0.2:/vol: ADMITS ANYONE — TLS is off on this volume: a client WITHOUT ANY CERTIFICATE connected in plain text")
        #expect(lines.contains { $0.hasPrefix("  fix: turn TLS on for vol: ") && $0.contains("gshare pool prepare vol --restart") })
        #expect(lines.contains("  this identity: ALLOWED — wrote, read back and removed a probe file (connected in 12 ms)"))
        #expect(!text.hasPrefix("\"tenant-a\" on 127.0.0.2:/vol: ALLOWED"))

        let document = AccessTestDocument(Self.probe(.ok, anyone: .ok))
        #expect(document.admitsAnyone && document.allowed && document.verdict == "refused" && document.anyone.outcome == "ok")
    }

    @Test func aVolumeEnforcingTLSReadsAsBeforeAndAnUnknownAnswerIsANote() {
        let enforced = AccessText.render(AccessTestDocument(Self.probe(.ok, anyone: .tlsRejected)))
        #expect(enforced == "\"tenant-a\" on 127.0.0.2:/vol: ALLOWED — wrote, read back and removed a probe file (connected in 12 ms)")

        let unknown = AccessTestDocument(Self.probe(.ok, anyone: .timedOut))
        #expect(!unknown.admitsAnyone && unknown.verdict == "ok")
        #expect(unknown.notes == ["could not tell whether the volume admits clients without a certificate (timedOut: timedOut)"])
        #expect(AccessText.render(unknown).contains("  note: could not tell whether the volume admits clients without a certificate"))
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Synchronization
import TenantPKI
import Testing

/// Probes against the real lab: who gets in, and why the others do not.
@Suite("Access probes against the GlusterFS lab", .serialized)
struct AccessProbeTests {
    @Test(.timeLimit(.minutes(2)))
    func aTenantInTheAllowListWritesReadsAndRemovesAProbeFile() async throws {
        let lab = try Lab.load()
        let result = try await makeClient().probe(try lab.connection("access", as: "tenant-a"))
        #expect(result.outcome == .ok, "\(result.message) \(result.logExcerpt)")
        #expect(result.isGranted)
        #expect(result.bytesVerified > 0)
        #expect(result.connectTime != nil)
        print("probe ok as tenant-a: \(result.elapsed) (connect \(result.connectTime.map { "\($0)" } ?? "-"))")
    }

    @Test(.timeLimit(.minutes(2)))
    func aTenantOutsideTheAllowListIsRefusedWithinFiveSeconds() async throws {
        let lab = try Lab.load()
        let result = try await makeClient().probe(try lab.connection("access", as: "tenant-b"), deadline: .seconds(30))
        #expect(result.outcome == .refusedByAuthAllow, "\(result.message) \(result.logExcerpt)")
        #expect(result.elapsed < .seconds(29))  // before the 30 s deadline (the outcome above says why it ended)
        #expect(result.operation == "glfs_init")
        #expect(result.message.contains("auth.ssl-allow"))
        #expect(result.logExcerpt.contains { $0.contains("AUTH_FAILED") || $0.contains("Authentication failed") })
        print("refused tenant-b: \(result.elapsed)")
    }

    /// Runs `body` with the access volume in exclusive use (no test of another suite sees the
    /// change) and its auth.ssl-allow restored afterwards; `body` gets the lab, the volume,
    /// its original list and a client.
    static func changingTheAllowList(_ body: (Lab, String, String, IsolatedGlusterClient) async throws -> Void) async throws {
        let lab = try Lab.load()
        let volume = try lab.volume("access")
        try await withExclusiveUse(of: volume) {
            let original = try await GlusterCLI.get(volume, "auth.ssl-allow")
            defer { try? GlusterCLI.setBlocking(volume, "auth.ssl-allow", original) }
            try await body(lab, volume, original, try makeClient())
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func changingTheAllowListTakesEffectWithoutARestart() async throws {
        try await Self.changingTheAllowList { lab, volume, original, client in

            try await GlusterCLI.set(volume, "auth.ssl-allow", "gluster-node-1,gshare-manager,tenant-a,tenant-b")
            let admitted = try await eventually { try await client.probe(try lab.connection("access", as: "tenant-b")).outcome == .ok }
            #expect(admitted == 1, "tenant-b should get in at once after being added (attempts: \(String(describing: admitted)))")

            try await GlusterCLI.set(volume, "auth.ssl-allow", "gluster-node-1,gshare-manager,tenant-b")
            let refused = try await eventually {
                try await client.probe(try lab.connection("access", as: "tenant-a")).outcome == .refusedByAuthAllow
            }
            #expect(refused == 1, "tenant-a should be refused at once after being removed (attempts: \(String(describing: refused)))")

            try await GlusterCLI.set(volume, "auth.ssl-allow", original)
            let restored = try await client.probe(try lab.connection("access", as: "tenant-a"))
            #expect(restored.outcome == .ok, "\(restored.message)")
            #expect(try await GlusterCLI.get(volume, "auth.ssl-allow") == original)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aTenantRemovedWhileConnectedIsCutOffAndReportedAsRefused() async throws {
        try await Self.changingTheAllowList { lab, volume, original, client in
            let clock = ContinuousClock()
            let removedAt = Mutex<ContinuousClock.Instant?>(nil)

            // A long write as tenant-a; at its first progress report, tenant-a leaves the list.
            let error = await #expect(throws: GlusterFSError.self) {
                try await client.fill(try lab.connection("access", as: "tenant-a"), files: 50_000, directories: 10, under: "/dynamic-auth") {
                    _ in
                    guard removedAt.withLock({ $0 == nil }) else { return }
                    try? GlusterCLI.setBlocking(volume, "auth.ssl-allow", "gluster-node-1,gshare-manager")
                    removedAt.withLock { $0 = clock.now }
                }
            }
            let cutOff = try #require(removedAt.withLock { $0 }).duration(to: clock.now)
            #expect(error?.code == .refusedByAuthAllow, "\(String(describing: error))")
            #expect(error?.message.contains("while connected") == true)
            #expect(cutOff < .seconds(10))
            print("tenant-a cut off and reported refused \(cutOff) after leaving auth.ssl-allow")

            try await GlusterCLI.set(volume, "auth.ssl-allow", original)
            let cleanup = try await client.wipe(try lab.connection("access", as: "gshare-manager"))
            #expect(cleanup.isComplete)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aCertificateFromAnUntrustedCAIsATLSRejection() async throws {
        let lab = try Lab.load()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rogue = try CertificateAuthority.create(in: directory.appendingPathComponent("rogue-ca").path, commonName: "rogue root")
        // The allowed name, from a CA the servers do not trust.
        let issued = try rogue.issue(commonName: try CommonName(validating: "tenant-a"), profile: .client)
        let nodeRoot = try Certificate.load(fromFile: lab.nodeRoot)
        _ = try GlusterFSLayout.write(issued, name: "tenant-a", to: directory.appendingPathComponent("out").path, peerRoots: nodeRoot)
        var connection = try lab.connection("access", as: "tenant-a")
        connection.identity = GlusterTLSIdentity(directory: directory.appendingPathComponent("out/glusterfs").path)

        let result = try await makeClient().probe(connection)
        #expect(result.outcome == .tlsRejected, "\(result.message) \(result.logExcerpt)")
        #expect(result.outcome != .refusedByAuthAllow)
        #expect(result.errno == EIO)
        print("untrusted CA: \(result.outcome) errno \(result.errno) in \(result.elapsed): \(result.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aKeyThatDoesNotMatchTheCertificateIsATLSRejection() async throws {
        let lab = try Lab.load()
        var connection = try lab.connection("access", as: "tenant-a")
        connection.identity?.privateKey = try lab.identity("tenant-b").privateKey

        let result = try await makeClient().probe(connection)
        #expect(result.outcome == .tlsRejected, "\(result.message) \(result.logExcerpt)")
        #expect(result.outcome != .refusedByAuthAllow)
        print("mismatched key: \(result.outcome) errno \(result.errno) in \(result.elapsed): \(result.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aVolumeWithTLSOffLetsACertificateHolderInInPlainText() async throws {
        let lab = try Lab.load()
        // What GlusterFS really does: TLS off on the volume = no TLS and no auth.ssl-allow check.
        let result = try await makeClient().probe(try lab.connection("plain", as: "tenant-b"))
        #expect(result.outcome == .ok, "\(result.message) \(result.logExcerpt)")
        print("TLS-off volume as tenant-b: \(result.outcome) in \(result.elapsed)")
    }

    @Test(.timeLimit(.minutes(2)))
    func requiringTLSAgainstAVolumeWithTLSOffFailsAsATLSRejection() async throws {
        let lab = try Lab.load()
        let result = try await makeClient().probe(try lab.connection("plain", as: "tenant-a", transport: .requireTLS))
        #expect(result.outcome == .tlsRejected, "\(result.message) \(result.logExcerpt)")
        print("requireTLS on the TLS-off volume: \(result.outcome) errno \(result.errno) in \(result.elapsed): \(result.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aPlainTextClientWithoutACertificateIsAdmittedByAVolumeWithTLSOff() async throws {
        let lab = try Lab.load()
        // No certificate at all (the identity is ignored), no TLS: anyone.
        let anyone = try lab.connection("plain", as: "tenant-b", transport: .plainText)
        let space = try await makeClient().statvfs(anyone)
        #expect(space.totalBytes > 0)
        let probe = try await makeClient().probe(anyone)
        #expect(probe.outcome == .ok, "\(probe.message) \(probe.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aPlainTextClientIsRejectedByAVolumeWithTLSOnWithinSeconds() async throws {
        let lab = try Lab.load()
        // tenant-a is in the list: only the missing TLS keeps it out.
        let result = try await makeClient().probe(try lab.connection("access", as: "tenant-a", transport: .plainText), deadline: .seconds(30))
        #expect(result.outcome == .tlsRejected, "\(result.message) \(result.logExcerpt)")
        #expect(result.elapsed < .seconds(29))  // before the deadline: a rejection, not a hang
        print("plain text on a TLS volume: \(result.outcome) errno \(result.errno) in \(result.elapsed): \(result.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aVolumeWithAnInvalidTLSValueFailsFastInsteadOfHanging() async throws {
        let lab = try Lab.load()
        // client.ssl/server.ssl accept any value; with "maybe" glfs_init would wait forever.
        let result = try await makeClient().probe(try lab.connection("maybe", as: "tenant-a"), deadline: .seconds(30))
        #expect(result.outcome == .failed, "\(result.message) \(result.logExcerpt)")
        #expect(result.message.contains("client settings are invalid"))
        #expect(result.elapsed < .seconds(29))  // before the 30 s deadline (the outcome above says why it ended)
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnreadableIdentityFileIsNamedBeforeConnecting() async throws {
        let lab = try Lab.load()
        var connection = try lab.connection("access", as: "tenant-a")
        connection.identity?.certificateChain = "/nonexistent/glusterfs.pem"
        let result = try await makeClient().probe(connection)
        #expect(result.outcome == .failed)
        #expect(result.errno == ENOENT)
        #expect(result.message == "cannot read the certificate chain: No such file or directory")
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnknownVolumeIsReportedAsUnknown() async throws {
        let lab = try Lab.load()
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: lab.host, volume: "gshare-no-such-volume"), identity: try lab.identity("tenant-a"))
        let result = try await makeClient().probe(connection)
        #expect(result.outcome == .unknownVolume, "\(result.message) \(result.logExcerpt)")
        #expect(result.errno == ENOENT)
        print("unknown volume: \(result.elapsed)")
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnreachableGlusterdIsReportedAsUnreachable() async throws {
        let lab = try Lab.load()
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: "127.0.0.3", volume: try lab.volume("access")), identity: try lab.identity("tenant-a"))
        let result = try await makeClient().probe(connection)
        #expect(result.outcome == .glusterdUnreachable, "\(result.message) \(result.logExcerpt)")
        #expect(result.errno == ENOTCONN)
        print("unreachable glusterd: \(result.elapsed)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aStoppedVolumeIsReportedAsStopped() async throws {
        let lab = try Lab.load()
        let result = try await makeClient().probe(try lab.connection("stopped", as: "tenant-a"))
        #expect(result.outcome == .volumeStopped, "\(result.message) \(result.logExcerpt)")
        print("stopped volume: \(result.outcome) errno \(result.errno) in \(result.elapsed): \(result.logExcerpt)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aServerThatNeverAnswersRunsIntoTheDeadline() async throws {
        // A listener on loopback that accepts connections and never says a word.
        let listener = try SilentListener()
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: "127.0.0.3", port: listener.port, volume: "anything"), identity: nil)
        let result = try await makeClient().probe(connection, deadline: .seconds(2))
        #expect(result.outcome == .timedOut, "\(result.message)")
        #expect(result.elapsed < .seconds(15))  // the 2 s deadline held (loose: parallel suites)
        withExtendedLifetime(listener) {}
    }

    @Test(.timeLimit(.minutes(2)))
    func cancellingTheTaskKillsTheWorker() async throws {
        let listener = try SilentListener()
        let connection = GlusterConnection(
            address: GlusterVolumeAddress(host: "127.0.0.3", port: listener.port, volume: "anything"), identity: nil)
        let client = try makeClient()
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task { try await client.probe(connection, deadline: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect(throws: GlusterFSError(.cancelled, operation: "probe")) { try await task.value }
        #expect(clock.now - started < .seconds(30))  // not the 60 s deadline
        withExtendedLifetime(listener) {}
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterFSAPI
import TenantPKI

/// What gshare can tell about identity files before connecting.
public struct ProbeIdentity: Sendable, Equatable {
    /// The name GlusterFS will authorise (first subject CN, raw bytes up to the first NUL).
    public let glusterFSName: String
    /// Problems GlusterFS will meet (the key does not match, the key is encrypted).
    public let notes: [String]
}

/// What `access test` found.
public struct AccessProbe: Sendable {
    public let identity: ProbeIdentity
    public let result: AccessProbeResult

    /// `ok` when the identity got in; `refused` when GlusterFS refused it (not in
    /// auth.ssl-allow, TLS rejected, volume stopped); `failed` when nothing could be judged.
    public var verdict: Verdict {
        switch result.outcome {
        case .ok: .ok
        case .refusedByAuthAllow, .tlsRejected, .volumeStopped: .refused
        default: .failed
        }
    }
}

/// `access test`: connect through libgfapi as an identity and prove what GlusterFS enforces.
public enum AccessProbeWorkflow {
    /// Connects to `volume` (`host:/volume`) as the identity in `cert`/`key`, trusting `ca`;
    /// writes, reads back and removes a probe file.
    /// - Throws: ``WorkflowError`` when the files or the address are unusable, or the worker
    ///   cannot run.
    public static func probe(volume: String, cert: String, key: String, ca: String, timeout: Duration) async throws(WorkflowError) -> AccessProbe {
        try await reported {
            let address = try GlusterVolumeAddress(parsing: volume)
            let identity = try checkIdentity(cert: cert, key: key, ca: ca)
            let client = try IsolatedGlusterClient()
            let result = try await client.probe(
                GlusterConnection(
                    address: address, identity: GlusterTLSIdentity(certificateChain: cert, privateKey: key, certificateAuthorities: ca)),
                deadline: timeout)
            return AccessProbe(identity: identity, result: result)
        }
    }

    static func checkIdentity(cert: String, key: String, ca: String) throws -> ProbeIdentity {
        let chain = try Certificate.load(fromFile: cert)
        _ = try Certificate.load(fromFile: ca)
        let keyFile = try PrivateKeyFile(path: key)
        var notes: [String] = []
        if let privateKey = keyFile.key {
            if !chain[0].matches(privateKey) { notes.append("the key in \(key) does not belong to the certificate in \(cert)") }
        } else {
            notes.append("the key in \(key) is encrypted; GlusterFS cannot use it")
        }
        return ProbeIdentity(glusterFSName: chain[0].glusterFSName.displayText, notes: notes)
    }
}

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

    public init(glusterFSName: String, notes: [String]) {
        self.glusterFSName = glusterFSName
        self.notes = notes
    }
}

/// What `access test` found.
public struct AccessProbe: Sendable {
    public let identity: ProbeIdentity
    /// The identity's own attempt: connect, write, read back and remove a probe file.
    public let result: AccessProbeResult
    /// A second attempt on the same volume as *anyone*: no certificate and plain text
    /// (``GlusterTransportSecurity/plainText``), reading only. A volume that enforces TLS
    /// turns it away (``GlusterAccessOutcome/tlsRejected``); one with TLS off lets it in.
    public let anyone: AccessProbeResult

    public init(identity: ProbeIdentity, result: AccessProbeResult, anyone: AccessProbeResult) {
        self.identity = identity
        self.result = result
        self.anyone = anyone
    }

    /// True when a client without any certificate got in in plain text: the volume does not
    /// enforce TLS, so GlusterFS never checked the identity's certificate and ignores
    /// `auth.ssl-allow`. Whatever ``result`` says, it proves nothing about the certificate.
    public var admitsAnyone: Bool { anyone.outcome == .ok }

    /// Whether the check without a certificate could not tell (it timed out or failed for
    /// a reason other than the bricks turning it away): a caveat to an allowed identity.
    public var openAccessUnknown: Bool {
        ![.ok, .tlsRejected, .refusedByAuthAllow, .volumeStopped].contains(anyone.outcome)
    }

    /// `refused` when the volume admits anyone (judged not fine, whatever the identity got;
    /// `access test` gives it an exit status of its own); else `ok` when the identity got in;
    /// `refused` when GlusterFS refused it (not in auth.ssl-allow, TLS rejected, volume
    /// stopped); `failed` when nothing could be judged.
    public var verdict: Verdict {
        if admitsAnyone { return .refused }
        switch result.outcome {
        case .ok: return .ok
        case .refusedByAuthAllow, .tlsRejected, .volumeStopped: return .refused
        default: return .failed
        }
    }
}

/// `access test`: connect through libgfapi as an identity and prove what GlusterFS enforces.
public enum AccessProbeWorkflow {
    /// Connects to `volume` (`host:/volume`) as the identity in `cert`/`key`, trusting `ca`;
    /// writes, reads back and removes a probe file. At the same time, connects as anyone
    /// (no certificate, plain text) to tell whether the volume enforces TLS at all
    /// (``AccessProbe/admitsAnyone``).
    /// - Throws: ``WorkflowError`` when the files or the address are unusable, or the worker
    ///   cannot run.
    ///
    /// - Parameters:
    ///   - backupVolfileServers: the volume's other nodes (as its export names them), tried
    ///     when the volume's host does not answer.
    ///   - managementTLS: the servers use management TLS: the volume file is fetched over TLS
    ///     as this identity, for both connections (``GlusterConnection/managementIdentity``).
    public static func probe(
        volume: String, cert: String, key: String, ca: String, timeout: Duration, backupVolfileServers: [String] = [], managementTLS: Bool = false
    ) async throws(WorkflowError) -> AccessProbe {
        try await reported {
            let address = try GlusterVolumeAddress(parsing: volume)
            let identity = try checkIdentity(cert: cert, key: key, ca: ca)
            let client = try IsolatedGlusterClient()
            let tls = GlusterTLSIdentity(certificateChain: cert, privateKey: key, certificateAuthorities: ca)
            let management = managementTLS ? tls : nil
            async let anyone = client.connects(
                GlusterConnection(
                    address: address, identity: nil, transport: .plainText, backupVolfileServers: backupVolfileServers, managementIdentity: management),
                deadline: timeout)
            let result = try await client.probe(
                GlusterConnection(address: address, identity: tls, backupVolfileServers: backupVolfileServers, managementIdentity: management),
                deadline: timeout)
            return AccessProbe(identity: identity, result: result, anyone: try await anyone)
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

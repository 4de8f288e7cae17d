//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// Tells apart why `glfs_init` failed (or never returns), from its errno and the gfapi
/// log written meanwhile: gfapi 10.3 reports a TLS failure and a stopped volume with the
/// same `EIO`, and a refused common name not at all (`glfs_init` hangs).
///
/// The log strings relied on, as gfapi 10.3 writes them at INFO level:
///
/// | case | errno | log |
/// |---|---|---|
/// | CN not in `auth.ssl-allow` | (hangs) | `SETVOLUME on remote-host failed [{remote-error=Authentication failed}…`, `sending AUTH_FAILED event` |
/// | server does not trust the certificate | EIO | `ssl_dump_error_stack … tlsv1 alert unknown ca` |
/// | client does not trust the server | EIO | `… certificate verify failed` |
/// | key does not match the certificate | EIO | `could not load private key at …`, `key values mismatch` |
/// | server rejects the certificate, seen only as a reset (TLS 1.3) | EIO | `IO path is ENABLED`, `changing port to N`, `connection to … failed (Connection reset by peer)` |
/// | plain client vs TLS brick, or TLS client vs plain brick | EIO | `changing port to N` then `disconnected from` / `connection to … failed (Broken pipe)` with no SSL error |
/// | volume not started | EIO | `failed to get the port number for remote subvolume` |
/// | unknown volume | ENOENT | `failed to get the volume file [{from server}, {errno=2}…` |
/// | nothing at the volfile server | ENOTCONN | `Failed to connect to remote-host`, `Exhausted all volfile servers` (INFO) |
/// | `client.ssl` not a boolean (e.g. `maybe`) | (hangs) | `failed to initialize RPC` after `… is not a valid boolean value` |
public enum GlusterInitFailure {
    /// True for the log lines the client translator writes when a brick refuses the
    /// identity (`auth.ssl-allow`): gfapi ignores that event, so `glfs_init` hangs.
    public static func isAuthenticationFailure(_ line: some StringProtocol) -> Bool {
        line.contains("sending AUTH_FAILED event") || line.contains("remote-error=Authentication failed")
    }

    /// For a log line after which `glfs_init` will never return although nothing was
    /// refused: what went wrong. Such a line means the connection cannot be set up at all.
    public static func hopelessConnectFailure(_ line: some StringProtocol) -> String? {
        if line.contains("failed to initialize RPC") || line.contains("volume option validation failed") {
            return "the volume's client settings are invalid (see the log: e.g. client.ssl must be on or off, not 'maybe'); glfs_init would wait forever"
        }
        return nil
    }

    /// Classifies a `glfs_init` failure.
    ///
    /// - Parameters:
    ///   - errno: what `glfs_init` left in errno (`EIO`, `ENOTCONN`, `ENOENT`…).
    ///   - log: the gfapi log lines written since the mount was set up.
    /// - Returns: the outcome and a message that says what to do.
    public static func classify(errno code: Int32, log: [String]) -> (outcome: GlusterAccessOutcome, message: String) {
        if log.contains(where: { isAuthenticationFailure($0) }) {
            return (.refusedByAuthAllow, "refused by auth.ssl-allow: the bricks do not allow this certificate's common name")
        }
        if let hopeless = log.lazy.compactMap({ hopelessConnectFailure($0) }).first {
            return (.failed, hopeless)
        }
        if let tls = tlsFailure(in: log) { return (.tlsRejected, tls) }
        switch code {
        case ENOENT:
            return (.unknownVolume, "glusterd does not know this volume: check the name (gluster volume list)")
        case ENOTCONN:
            return (.glusterdUnreachable, "nothing answers at the volfile server: is glusterd running there, on this port?")
        default:
            break
        }
        if log.contains(where: { $0.contains("failed to get the port number for remote subvolume") }) {
            return (.volumeStopped, "the volume is not started: no brick process to connect to (gluster volume start)")
        }
        let reachedBrick = log.contains { $0.contains("changing port to") }
        if reachedBrick, log.contains(where: { $0.contains("(Connection refused)") }) {
            return (.volumeStopped, "a brick of the volume is not running (connection refused on its port): gluster volume status; gluster volume start … force")
        }
        if reachedBrick, log.contains(where: { $0.contains("disconnected from") || $0.contains("socket_connect_finish") }) {
            // The brick hung up before SETVOLUME without an SSL error on our side: with TLS 1.3
            // a rejected client certificate often shows up only as a reset.
            if log.contains(where: { $0.contains("IO path is ENABLED") }) {
                return (.tlsRejected, "TLS: the brick closed the connection during the handshake: it rejected this certificate (unknown CA, revoked, expired or too weak), or it does not speak TLS (a volume with TLS off)")
            }
            return (.tlsRejected, "the brick closed the plain-text connection: it expects TLS (the volume has server.ssl on but client.ssl off?)")
        }
        return (.failed, "glfs_init failed: \(String(cString: strerror(code))) (errno \(code)); see the log excerpt")
    }

    /// What a TLS error in the log says, as advice; nil when there is none.
    static func tlsFailure(in log: [String]) -> String? {
        func has(_ text: String) -> Bool { log.contains { $0.contains(text) } }
        if has("could not load private key") || has("key values mismatch") {
            return "TLS: the private key cannot be used (it does not belong to the certificate, or cannot be read): give the key of this certificate"
        }
        if has("could not load our cert") {
            return "TLS: the certificate chain file cannot be used: give a PEM chain, leaf first"
        }
        if has("could not load CA list") || has("could not load CA") {
            return "TLS: the CA list cannot be used: give a PEM file with the servers' root CA"
        }
        if has("alert unknown ca") || has("alert bad certificate") || has("alert certificate") || has("alert handshake failure")
            || has("alert decrypt error") || has("alert access denied")
        {
            return "TLS: the servers rejected this certificate (unknown CA, revoked, expired or too weak): issue it from a CA the servers trust (their glusterfs.ca)"
        }
        if has("certificate verify failed") {
            return "TLS: this identity's CA list does not verify the servers' certificate: put the servers' root CA in its glusterfs.ca"
        }
        if has("ssl_dump_error_stack") || has("SSL connect error") || has("SSL_connect") {
            return "TLS: the handshake failed (see the log excerpt)"
        }
        return nil
    }

    /// A warning, error or critical line (`] W [`, `] E [`, `] C [`).
    static func isProblem(_ line: String) -> Bool {
        line.contains("] E [") || line.contains("] W [") || line.contains("] C [")
    }

    /// The lines worth showing with a failure: warnings, errors and AUTH_FAILED (without
    /// gfapi's call-stack dumps), the last `limit` of them; when there are none (gfapi logs
    /// an unreachable glusterd and a dropped brick connection at INFO), the last few lines
    /// of any level.
    public static func excerpt(_ log: [String], limit: Int = 8) -> [String] {
        let useful = log.filter { !$0.contains("_gf_log_callingfn") && !$0.hasPrefix("+--") && !$0.hasPrefix(" ") }
        let problems = useful.filter { isProblem($0) || isAuthenticationFailure($0) }
        return Array((problems.isEmpty ? useful : problems).suffix(problems.isEmpty ? 4 : limit))
    }
}

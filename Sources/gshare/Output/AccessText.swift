//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

/// Human-readable rendering of `gshare access test`.
enum AccessText {
    static func render(_ document: AccessTestDocument) -> String {
        let who = "\"\(document.commonName)\" on \(document.volume)"
        var lines: [String] = []
        let (headline, fix) = identityLines(document)
        if document.admitsAnyone {
            let volume = document.volume.split(separator: "/").last.map(String.init) ?? document.volume
            lines.append("\(who): ADMITS ANYONE — TLS is off on this volume: a client WITHOUT ANY CERTIFICATE connected in plain text")
            lines.append("  GlusterFS never checked this certificate and ignores auth.ssl-allow here: any host that reaches the bricks can use the volume")
            lines.append(
                "  fix: turn TLS on for \(volume): set auth.ssl-allow to the system CNs and the tenants, server.ssl on and client.ssl on "
                    + "(gluster volume set), then restart it (gluster volume stop, start); for a pool volume: gshare pool prepare \(volume) --restart")
            lines.append("  this identity: \(headline)")
        } else {
            lines.append("\(who): \(headline)")
            if let fix { lines.append("  fix: \(fix)") }
        }
        if !document.message.isEmpty && document.outcome != "ok" { lines.append("  detail: \(document.message)") }
        lines += document.notes.map { "  note: \($0)" }
        if document.outcome != "ok" { lines += document.log.suffix(5).map { "  log: \($0)" } }
        return lines.joined(separator: "\n")
    }

    /// What the identity's own attempt got, and the fix when there is one.
    private static func identityLines(_ document: AccessTestDocument) -> (headline: String, fix: String?) {
        switch document.outcome {
        case "ok":
            let connect = document.connectMilliseconds.map { " (connected in \($0) ms)" } ?? ""
            return ("ALLOWED — wrote, read back and removed a probe file\(connect)", nil)
        case "refusedByAuthAllow":
            return ("REFUSED — the CN is not in the volume's auth.ssl-allow", "if this tenant should get in, add its CN to the volume's auth.ssl-allow")
        case "tlsRejected":
            return ("REFUSED — the TLS handshake failed (unknown CA, or key not matching the certificate)", nil)
        case "volumeStopped":
            return ("REFUSED — the volume is not started", "gluster volume start VOLUME")
        case "glusterdUnreachable":
            return ("COULD NOT RUN — nothing answers at glusterd (is it running, and is the address right? if the servers use management TLS, secure-access, add --management-tls)", nil)
        case "unknownVolume":
            return ("COULD NOT RUN — glusterd does not know this volume (gluster volume list)", nil)
        case "timedOut":
            return ("COULD NOT RUN — no answer before the deadline (try a larger --timeout)", nil)
        default:
            return ("FAILED (\(document.outcome))", nil)
        }
    }
}

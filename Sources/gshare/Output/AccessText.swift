//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

/// Human-readable rendering of `gshare access test`.
enum AccessText {
    static func render(_ document: AccessTestDocument) -> String {
        let who = "\"\(document.commonName)\" on \(document.volume)"
        var lines: [String] = []
        switch document.outcome {
        case "ok":
            let connect = document.connectMilliseconds.map { " (connected in \($0) ms)" } ?? ""
            lines.append("\(who): ALLOWED — wrote, read back and removed a probe file\(connect)")
        case "refusedByAuthAllow":
            lines.append("\(who): REFUSED — the CN is not in the volume's auth.ssl-allow")
            lines.append("  fix: if this tenant should get in, add its CN to the volume's auth.ssl-allow")
        case "tlsRejected":
            lines.append("\(who): REFUSED — the TLS handshake failed (unknown CA, or key not matching the certificate)")
        case "volumeStopped":
            lines.append("\(who): REFUSED — the volume is not started")
            lines.append("  fix: gluster volume start VOLUME")
        case "glusterdUnreachable":
            lines.append("\(who): COULD NOT RUN — nothing answers at glusterd (is it running, and is the address right?)")
        case "unknownVolume":
            lines.append("\(who): COULD NOT RUN — glusterd does not know this volume (gluster volume list)")
        case "timedOut":
            lines.append("\(who): COULD NOT RUN — no answer before the deadline (try a larger --timeout)")
        default:
            lines.append("\(who): FAILED (\(document.outcome))")
        }
        if !document.message.isEmpty && document.outcome != "ok" { lines.append("  detail: \(document.message)") }
        lines += document.notes.map { "  note: \($0)" }
        if document.outcome != "ok" { lines += document.log.suffix(5).map { "  log: \($0)" } }
        return lines.joined(separator: "\n")
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import TenantPKI

/// The CLI's log handler: one line per event on stderr.
///
/// Warnings and worse read like the CLI's own (`gshare: warning: …`); with `--verbose` or
/// `--log-level`, lower levels carry the time and the metadata
/// (`2026-12-06T01:02:03.456Z debug gshare: gluster volume info v [ms=62 server=127.0.0.2 status=0]`).
/// The libraries never put a secret in a message or in metadata.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let details = all.isEmpty ? "" : " [" + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "]"
        let line: String
        if event.level >= .warning {
            line = "gshare: \(event.level == .warning ? "warning" : "error"): \(event.message)\(details)\n"
        } else {
            line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)\(details)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let date = Date(timeIntervalSince1970: Double(now.tv_sec))
        let base = RFC3339.format(date)
        return String(base.dropLast()) + String(format: ".%03dZ", Int(now.tv_nsec / 1_000_000))
    }
}

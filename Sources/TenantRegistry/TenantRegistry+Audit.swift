//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

public import Foundation
internal import GRDB

extension TenantRegistry {
    /// Appends `entry` to the audit log.
    public func record(_ entry: AuditEntry) throws {
        let command = String(decoding: try JSONEncoder().encode(AuditEntry.redacted(entry.command)), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: "INSERT INTO audit (time, user, host, command, target, result, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [entry.time, entry.user, entry.host, command, entry.target, entry.result.rawValue, entry.message])
        }
    }

    /// The audit log, oldest first; with `since`, only entries at or after it.
    public func audit(since: Date? = nil) throws -> [AuditEntry] {
        try read { db in
            let rows =
                if let since {
                    try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE time >= ? ORDER BY time, id", arguments: [since])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY time, id")
                }
            return rows.map { row in
                let commandText: String = row["command"]
                let command = (try? JSONDecoder().decode([String].self, from: Data(commandText.utf8))) ?? [commandText]
                let resultText: String = row["result"]
                return AuditEntry(
                    time: row["time"], user: row["user"], host: row["host"], command: command, target: row["target"],
                    result: AuditEntry.Result(rawValue: resultText) ?? .failed, message: row["message"])
            }
        }
    }
}

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
    /// - Throws: ``RegistryError`` `.malformedRow` for an entry gshare cannot have written
    ///   (a malformed time, a command that is not its JSON list, an unknown result…).
    public func audit(since: Date? = nil) throws -> [AuditEntry] {
        try read { db in
            let select = "SELECT \(Self.auditTable.selection) FROM audit a"
            let rows =
                if let since {
                    try Row.fetchAll(db, sql: select + " WHERE a.time >= ? ORDER BY a.time, a.id", arguments: [since])
                } else {
                    try Row.fetchAll(db, sql: select + " ORDER BY a.time, a.id")
                }
            return try rows.map(auditEntry)
        }
    }

    static let auditTable = RegistryTable(
        name: "audit", alias: "a", namedByID: true,
        columns: [
            .integer("id"), .date("time"), .text("user"), .text("host"), .text("command", limit: RegistryTable.longText),
            .text("target", limit: RegistryTable.longText), .text("result"), .text("message", limit: RegistryTable.longText, optional: true),
        ])

    private func auditEntry(_ row: Row) throws -> AuditEntry {
        let row = try RegistryRow(row, Self.auditTable, path: path)
        let commandText = try row.text("command")
        guard let command = try? JSONDecoder().decode([String].self, from: Data(commandText.utf8)) else {
            throw row.malformed("command", found: "the text \(RegistryRow.quoted(commandText))", expected: "the command's arguments as a JSON list")
        }
        let resultText = try row.text("result")
        guard let result = AuditEntry.Result(rawValue: resultText) else {
            let known = AuditEntry.Result.allCases.map(\.rawValue).joined(separator: ", ")
            throw row.malformed("result", found: "the text \(RegistryRow.quoted(resultText))", expected: "one of \(known)")
        }
        return AuditEntry(
            time: try row.date("time"), user: try row.text("user"), host: try row.text("host"), command: command, target: try row.text("target"),
            result: result, message: try row.optionalText("message"))
    }
}

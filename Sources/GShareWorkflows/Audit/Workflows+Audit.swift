//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
import TenantPKI
public import TenantRegistry

extension Workflows {
    /// The audit log, oldest first; with `since` (an RFC 3339 time, or an age such as `30m`,
    /// `1h`, `7d`, `2w`), only entries since then.
    public func auditEntries(since: String?) throws(WorkflowError) -> [AuditEntry] {
        let start = try since.map { text throws(WorkflowError) in try Self.parseSince(text, now: context.now()) }
        return try reportedSync { try registry().audit(since: start) }
    }

    /// `since`: an RFC 3339 time, or an age (`90s`, `30m`, `1h`, `7d`, `2w`) before `now`.
    public static func parseSince(_ text: String, now: Date) throws(WorkflowError) -> Date {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let unit = text.last, let seconds = units[unit], let count = Int(text.dropLast()), count >= 0 {
            return now.addingTimeInterval(-Double(count) * seconds)
        }
        do {
            return try RFC3339.parse(text)
        } catch {
            throw WorkflowError(
                .invalidRequest, .failed, subject: text, message: "--since '\(text)' is neither a time nor an age",
                fix: "give an RFC 3339 time (2026-06-01T00:00:00Z) or an age (30m, 1h, 7d, 2w)")
        }
    }
}

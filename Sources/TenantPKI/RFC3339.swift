//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

public import Foundation

/// RFC 3339 times, as `--at` takes them.
public enum RFC3339 {
    /// Parses `2026-06-01T00:00:00Z`, `2026-06-01T02:00:00+02:00`, or with fractional seconds.
    /// - Throws: ``PKIError/Code-swift.struct/invalidTime`` with an example of the format.
    public static func parse(_ text: String) throws -> Date {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        throw PKIError(
            .invalidTime, path: "--at \"\(text)\"", reason: "not an RFC 3339 time",
            hint: "write it like 2026-06-01T00:00:00Z or 2026-06-01T02:00:00+02:00")
    }

    /// Formats a time as `2026-06-01T00:00:00Z`.
    public static func format(_ date: Date) -> String { iso8601(date) }
}

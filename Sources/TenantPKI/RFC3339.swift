//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import struct Foundation.Date
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// RFC 3339 times, as `--at` takes them and CA records store them. Strict: impossible
/// dates (February 30th, hour 24) are refused, never rolled over.
public enum RFC3339 {
    /// Parses `2026-06-01T00:00:00Z`, `2026-06-01T02:00:00+02:00`, with optional fractional
    /// seconds.
    /// - Throws: ``PKIError/Code-swift.struct/invalidTime`` with an example of the format.
    public static func parse(_ text: String) throws -> Date {
        guard let date = strictDate(Array(text.utf8)) else {
            throw PKIError(
                .invalidTime, path: "time \"\(escapingControlCharacters(text))\"", reason: "not an RFC 3339 time",
                hint: "write it like 2026-06-01T00:00:00Z or 2026-06-01T02:00:00+02:00")
        }
        return date
    }

    /// Formats a time as `2026-06-01T00:00:00Z`.
    public static func format(_ date: Date) -> String { iso8601(date) }

    private static func strictDate(_ bytes: [UInt8]) -> Date? {
        func number(_ range: Range<Int>) -> Int32? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - 0x30)
            }
            return value
        }
        func byte(_ index: Int, is allowed: UInt8...) -> Bool { index < bytes.count && allowed.contains(bytes[index]) }
        guard byte(4, is: 0x2D), byte(7, is: 0x2D), byte(10, is: 0x54, 0x74), byte(13, is: 0x3A), byte(16, is: 0x3A),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, is: 0x2E) {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset: Int32 = 0
        if byte(index, is: 0x5A, 0x7A) {
            index += 1
        } else if byte(index, is: 0x2B, 0x2D), byte(index + 3, is: 0x3A), let hours = number(index + 1..<index + 3),
            let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
        {
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 0x2D ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        // timegm normalises impossible dates (February 30th -> March 2nd): refuse those.
        guard parts.tm_mday == day, parts.tm_mon == month - 1 else { return nil }
        return Date(timeIntervalSince1970: Double(seconds - time_t(offset)) + fraction)
    }
}

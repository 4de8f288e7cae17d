//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

import Foundation
internal import GRDB

/// A registry table as gshare reads it. Every column arrives raw — its SQLite storage class
/// (`typeof`) and its exact bytes, at most one byte past the column's limit — and is decoded
/// by ``RegistryRow``, which throws ``RegistryError/Code-swift.struct/malformedRow`` where
/// GRDB's typed subscripts would trap (a forced `try` on a malformed date, a NULL, a wrong type) or
/// silently cut a text at a NUL byte.
struct RegistryTable: Sendable {
    /// How a column is decoded.
    enum Kind: Sendable {
        /// UTF-8 text of at most `limit` bytes, without NUL; `optional`: NULL is nil.
        case text(limit: Int, optional: Bool)
        /// A date as GRDB writes it: `yyyy-MM-dd HH:mm:ss.SSS`, UTC.
        case date
        /// An integer.
        case integer
    }

    struct Column: Sendable {
        let name: String
        let kind: Kind

        /// The most bytes a column's raw value is read with (one more tells "too long").
        var limit: Int {
            switch kind {
            case .text(let limit, _): limit
            case .date, .integer: 64
            }
        }

        static func text(_ name: String, limit: Int = shortText, optional: Bool = false) -> Column {
            Column(name: name, kind: .text(limit: limit, optional: optional))
        }
        static func date(_ name: String) -> Column { Column(name: name, kind: .date) }
        static func integer(_ name: String) -> Column { Column(name: name, kind: .integer) }
    }

    /// Names, CNs, fingerprints, serials, users, hosts, results: far below this.
    static let shortText = 1024
    /// Subjects, issuers, PEMs, commands, targets, messages.
    static let longText = 1 << 20

    let name: String
    let alias: String
    /// Whether rows are named by the `id` column (read as an integer) rather than the rowid.
    let namedByID: Bool
    let columns: [Column]

    /// The select list: `alias.rowid` and, for each column, its storage class and raw value.
    var selection: String {
        var parts = ["\(alias).rowid AS \"\(alias):rowid\""]
        for column in columns {
            let value = "\(alias).\(column.name)"
            parts.append("typeof(\(value)) AS \"\(alias).\(column.name):type\"")
            parts.append(
                "CASE WHEN typeof(\(value)) IN ('text', 'blob') THEN substr(CAST(\(value) AS BLOB), 1, \(column.limit + 1)) ELSE \(value) END AS \"\(alias).\(column.name):raw\"")
        }
        return parts.joined(separator: ", ")
    }

    func column(_ name: String) -> Column {
        columns.first { $0.name == name } ?? Column(name: name, kind: .text(limit: Self.shortText, optional: false))
    }

}

/// One row of a ``RegistryTable``, decoded column by column; every failure is a
/// ``RegistryError`` naming the file, the table, the row and the column, with the fix.
struct RegistryRow {
    private let row: Row
    private let table: RegistryTable
    private let path: String
    /// `tenants row 2 (tenant 'acme')`, `audit row id 7`: how errors name the row.
    private(set) var label: String
    /// How the fix selects the row in SQL.
    private var selector: String

    init(_ row: Row, _ table: RegistryTable, path: String) throws {
        self.row = row
        self.table = table
        self.path = path
        let rowid = Self.stored(row, "\(table.alias):rowid") as? Int64 ?? -1
        label = "\(table.name) row \(rowid)"
        selector = "rowid = \(rowid)"
        if table.namedByID {
            let id = try integer("id")
            label = "\(table.name) row id \(id)"
            selector = "id = \(id)"
        }
    }

    /// Adds what the row is about to its name in errors, e.g. `(tenant 'acme')`.
    mutating func describe(_ detail: String) { label += " (\(detail))" }

    func text(_ name: String) throws -> String {
        guard let text = try optionalText(name) else { throw malformed(name, found: "NULL", expected: expectation(name)) }
        return text
    }

    func optionalText(_ name: String) throws -> String? {
        let column = table.column(name)
        let (type, raw) = value(name)
        if type == "null", case .text(_, true) = column.kind { return nil }
        guard type == "text", let bytes = raw as? Data else { throw malformed(name, found: Self.describe(type, raw, limit: column.limit), expected: expectation(name)) }
        guard bytes.count <= column.limit else { throw malformed(name, found: "a text of more than \(column.limit) bytes", expected: expectation(name)) }
        guard !bytes.contains(0) else { throw malformed(name, found: "the text \(Self.quoted(bytes)) (it holds a NUL byte)", expected: expectation(name)) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw malformed(name, found: "the bytes \(Self.quoted(bytes)) (not valid UTF-8)", expected: expectation(name))
        }
        return text
    }

    func date(_ name: String) throws -> Date {
        let (type, raw) = value(name)
        guard type == "text", let bytes = raw as? Data, let date = Self.parseDate([UInt8](bytes)) else {
            throw malformed(name, found: Self.describe(type, raw, limit: table.column(name).limit), expected: expectation(name))
        }
        return date
    }

    func integer(_ name: String) throws -> Int64 {
        let (type, raw) = value(name)
        guard type == "integer", let integer = raw as? Int64 else {
            throw malformed(name, found: Self.describe(type, raw, limit: table.column(name).limit), expected: expectation(name))
        }
        return integer
    }

    /// The error for column `name` of this row: what it holds, and what gshare writes there.
    func malformed(_ name: String, found: String, expected: String) -> RegistryError {
        RegistryError(
            .malformedRow, path: path,
            reason: "\(label), column \(name): found \(found) where gshare writes \(expected); nothing was changed",
            hint: "move the registry aside (mv \(path) \(path).corrupt) and gshare starts an empty one (onboard the tenants' certificates again), "
                + "or repair that value with sqlite3 (sqlite3 \(path) \"UPDATE \(table.name) SET \(name) = … WHERE \(selector)\")")
    }

    // MARK: Raw values

    /// The value as SQLite stored it: Int64, Double, String, Data or nil. GRDB's untyped
    /// subscript decodes nothing, so it cannot trap (its typed ones force their `try`).
    private static func stored(_ row: Row, _ column: String) -> (any DatabaseValueConvertible)? {
        let value: (any DatabaseValueConvertible)? = row[column]
        return value
    }

    private func value(_ name: String) -> (type: String, raw: (any DatabaseValueConvertible)?) {
        let type = Self.stored(row, "\(table.alias).\(name):type") as? String ?? "missing"
        return (type, Self.stored(row, "\(table.alias).\(name):raw"))
    }

    private func expectation(_ name: String) -> String {
        switch table.column(name).kind {
        case .text(let limit, let optional): "\(optional ? "NULL or " : "")UTF-8 text of at most \(limit) bytes without NUL"
        case .date: "a date (yyyy-MM-dd HH:mm:ss.SSS, UTC)"
        case .integer: "an integer"
        }
    }

    private static func describe(_ type: String, _ raw: (any DatabaseValueConvertible)?, limit: Int) -> String {
        switch (type, raw) {
        case ("null", _): "NULL"
        case ("integer", let value as Int64): "the integer \(value)"
        case ("real", let value as Double): "the number \(value)"
        case ("text", let bytes as Data): bytes.count > limit ? "a text of more than \(limit) bytes" : "the text \(quoted(bytes))"
        case ("blob", let bytes as Data): bytes.count > limit ? "a blob of more than \(limit) bytes" : "a blob of \(bytes.count) bytes"
        default: "a value of type \(type)"
        }
    }

    /// `'…'` with anything but printable ASCII escaped, at most 40 characters shown.
    static func quoted(_ bytes: Data) -> String { quoted(String(decoding: bytes, as: UTF8.self)) }

    static func quoted(_ string: String) -> String {
        var text = ""
        for (index, scalar) in string.unicodeScalars.enumerated() {
            if index == 40 { text += "…"; break }
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "'" && scalar != "\\" {
                text.unicodeScalars.append(scalar)
            } else {
                text += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return "'\(text)'"
    }

    // MARK: Dates

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()

    /// `yyyy-MM-dd HH:mm:ss.SSS` (UTC), exactly as GRDB stores a `Date`, with every field in
    /// range (no February 30th: GRDB would quietly read it as March 2nd); nil otherwise.
    /// Read through the same Gregorian UTC calendar GRDB writes with.
    static func parseDate(_ bytes: [UInt8]) -> Date? {
        guard bytes.count == 23, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: ".")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23), year >= 1
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute, back.second == second else { return nil }
        return date.addingTimeInterval(Double(millisecond) / 1000)
    }

    // MARK: Schema reads

    /// A text column of SQLite's own tables (`sqlite_master`, `pragma_table_info`), read from
    /// its raw value: a NULL or a number there is reported as corrupt instead of trapping.
    static func plainText(_ row: Row, _ column: String) throws -> String {
        switch stored(row, column) {
        case let text as String: return text
        case let data as Data: return String(decoding: data, as: UTF8.self)
        case let other: throw SchemaValueError(description: "SQLite's schema holds \(other.map { "\($0)" } ?? "NULL") as a \(column)")
        }
    }

    struct SchemaValueError: Error, CustomStringConvertible {
        let description: String
    }
}

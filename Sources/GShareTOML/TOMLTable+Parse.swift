//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

import Foundation

extension TOMLTable {
    /// The largest input the reader accepts, in bytes: 1 MiB. Larger inputs are refused
    /// with ``TOMLError/Code-swift.struct/inputTooLarge``.
    public static let maximumInputSize = 1 << 20

    /// How deeply tables, arrays and inline tables may nest (the root table is level 0).
    /// Deeper documents are refused with ``TOMLError/Code-swift.struct/nestingTooDeep``.
    public static let maximumNestingDepth = 64

    /// Parses a TOML document.
    ///
    /// gshare's reader takes a strict subset of TOML 1.0: strings (basic and literal, one
    /// line each), integers, booleans, arrays, tables and inline tables. Floats, dates and
    /// times, multi-line strings and arrays of tables are refused with an error naming the
    /// feature; nothing is silently misread.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - source: the name errors give for the document, usually its file path.
    /// - Throws: ``TOMLError`` with the source, line and column of the first problem.
    public static func parse(_ text: String, source: String) throws(TOMLError) -> TOMLTable {
        try parse(utf8: Array(text.utf8), source: source)
    }

    /// Parses a TOML document given as bytes, which must be UTF-8 (an initial byte order
    /// mark is skipped).
    ///
    /// - Parameters:
    ///   - bytes: the document.
    ///   - source: the name errors give for the document, usually its file path.
    /// - Throws: ``TOMLError`` with the source, line and column of the first problem.
    public static func parse(utf8 bytes: [UInt8], source: String) throws(TOMLError) -> TOMLTable {
        let text = try SourceText(validating: bytes, source: source)
        var parser = Parser(text)
        return try parser.parseDocument()
    }

    /// Reads and parses the TOML file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - source: the name errors give for the document; the path when nil.
    /// - Throws: ``TOMLError`` (``TOMLError/Code-swift.struct/fileUnreadable`` when the file
    ///   cannot be read, ``TOMLError/Code-swift.struct/inputTooLarge`` when it is larger
    ///   than ``maximumInputSize``, which is checked without reading the rest).
    public static func parse(fileAt path: String, source: String? = nil) throws(TOMLError) -> TOMLTable {
        let source = source ?? path
        func unreadable(_ reason: String) -> TOMLError {
            TOMLError(.fileUnreadable, source: source, line: 0, column: 0, message: reason)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw unreadable("cannot read the file: it does not exist; check the path")
        }
        guard !isDirectory.boolValue else {
            throw unreadable("cannot read the file: it is a directory; give the path of a TOML file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw unreadable("cannot read the file: it cannot be opened; check its permissions")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maximumInputSize + 1)
        } catch {
            throw unreadable("cannot read the file: \(error.localizedDescription); check that it is a regular, readable file")
        }
        return try parse(utf8: data.map { [UInt8]($0) } ?? [], source: source)
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// Why a TOML document (or a value read from one) was refused.
///
/// Every error names the document it is about (``source``), the 1-based ``line`` and
/// ``column`` where the problem is, and a ``message`` that says what is wrong and how to
/// fix it. Errors about a whole file (it cannot be read, it is too large) have line and
/// column 0. ``description`` is the form to show a person:
///
/// ```
/// gshare.toml:7:1: duplicate key "nodes" (first defined on line 3); remove one of them
/// ```
///
/// Equality compares ``code`` only.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier of the kind of error.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, e.g. `duplicate-key`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// The identifier, e.g. `duplicate-key`.
        public var description: String { rawValue }

        // Whole-input problems.

        /// The file does not exist, is a directory, or cannot be read.
        public static let fileUnreadable = Code("file-unreadable")
        /// The input is larger than ``TOMLTable/maximumInputSize`` bytes.
        public static let inputTooLarge = Code("input-too-large")
        /// The input is not valid UTF-8.
        public static let invalidUTF8 = Code("invalid-utf8")
        /// The input contains a NUL byte.
        public static let nulByte = Code("nul-byte")
        /// The input contains a raw control character (other than tab and line ends), or a
        /// carriage return that is not followed by a line feed.
        public static let controlCharacter = Code("control-character")
        /// Arrays, inline tables and tables are nested deeper than ``TOMLTable/maximumNestingDepth``.
        public static let nestingTooDeep = Code("nesting-too-deep")

        // Syntax.

        /// A key is missing where one is required (`= 1`, `a. = 1`, `[]`).
        public static let emptyKey = Code("empty-key")
        /// A key contains a character that bare keys may not contain.
        public static let invalidKey = Code("invalid-key")
        /// A key is not followed by `=`.
        public static let missingEquals = Code("missing-equals")
        /// `=` is not followed by a value.
        public static let missingValue = Code("missing-value")
        /// What follows `=` is not a value (e.g. an unquoted word).
        public static let invalidValue = Code("invalid-value")
        /// Something other than a comment or the end of the line follows a value.
        public static let junkAfterValue = Code("junk-after-value")
        /// A `[table]` header is malformed (no closing `]`, text after it).
        public static let invalidTableHeader = Code("invalid-table-header")
        /// A string has no closing quote on its line.
        public static let unterminatedString = Code("unterminated-string")
        /// A basic string contains an escape sequence TOML does not define.
        public static let invalidEscape = Code("invalid-escape")
        /// An array has no closing `]`.
        public static let unterminatedArray = Code("unterminated-array")
        /// An inline table has no closing `}` on its line.
        public static let unterminatedInlineTable = Code("unterminated-inline-table")
        /// An inline table is malformed (e.g. a trailing comma).
        public static let invalidInlineTable = Code("invalid-inline-table")
        /// An integer is malformed: leading zeros, misplaced `_`, bad digits, a sign on a
        /// hexadecimal, octal or binary integer.
        public static let invalidInteger = Code("invalid-integer")
        /// An integer does not fit in a signed 64-bit integer.
        public static let integerOverflow = Code("integer-overflow")

        // Structure.

        /// The same key is defined twice in one table.
        public static let duplicateKey = Code("duplicate-key")
        /// A table is defined twice (two `[a]` headers, or a header for a table that dotted
        /// keys already defined, or dotted keys adding to a table a header defined).
        public static let tableRedefined = Code("table-redefined")
        /// A key is used both as a value and as a table.
        public static let keyIsValueAndTable = Code("key-value-and-table")
        /// A header or a dotted key tries to add keys to an inline table.
        public static let inlineTableExtended = Code("inline-table-extended")

        // TOML features gshare's reader deliberately does not support.

        /// A floating-point number (`3.14`, `1e6`, `inf`, `nan`).
        public static let unsupportedFloat = Code("unsupported-float")
        /// A date, time or date-time (`1979-05-27`, `07:32:00`).
        public static let unsupportedDateTime = Code("unsupported-date-time")
        /// A multi-line string (`"""…"""` or `'''…'''`).
        public static let unsupportedMultilineString = Code("unsupported-multiline-string")
        /// An array of tables (`[[name]]`).
        public static let unsupportedArrayOfTables = Code("unsupported-array-of-tables")

        // Reading a configuration with ``TOMLTableReader``.

        /// A key holds a value of another type than the configuration requires.
        public static let wrongType = Code("wrong-type")
        /// A table has a key the configuration does not know.
        public static let unknownKey = Code("unknown-key")
        /// A key the configuration requires is absent.
        public static let missingKey = Code("missing-key")

        /// Every code, in the order declared above.
        public static let all: [Code] = [
            .fileUnreadable, .inputTooLarge, .invalidUTF8, .nulByte, .controlCharacter, .nestingTooDeep, .emptyKey,
            .invalidKey, .missingEquals, .missingValue, .invalidValue, .junkAfterValue, .invalidTableHeader,
            .unterminatedString, .invalidEscape, .unterminatedArray, .unterminatedInlineTable, .invalidInlineTable,
            .invalidInteger, .integerOverflow, .duplicateKey, .tableRedefined, .keyIsValueAndTable, .inlineTableExtended,
            .unsupportedFloat, .unsupportedDateTime, .unsupportedMultilineString, .unsupportedArrayOfTables, .wrongType,
            .unknownKey, .missingKey,
        ]
    }

    /// What kind of error this is.
    public let code: Code
    /// The document the error is about: a file path, or the name the caller gave.
    public let source: String
    /// The 1-based line of the problem; 0 when the error is about the whole input.
    public let line: Int
    /// The 1-based column (in Unicode scalars) of the problem; 0 when the error is about
    /// the whole input.
    public let column: Int
    /// What is wrong and how to fix it, without the source and position.
    public let message: String
    /// Another line the error refers to, e.g. where a duplicated key was first defined.
    public let relatedLine: Int?

    /// An error at a position in `source`.
    public init(_ code: Code, source: String, line: Int, column: Int, message: String, relatedLine: Int? = nil) {
        self.code = code
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.relatedLine = relatedLine
    }

    /// `source:line:column: message`, or `source: message` for errors about the whole input.
    public var description: String {
        line > 0 ? "\(source):\(line):\(column): \(message)" : "\(source): \(message)"
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: TOMLError, rhs: TOMLError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// A value in a TOML document, restricted to the types gshare's reader supports.
public indirect enum TOMLValue: Sendable, Equatable {
    /// A basic (`"…"`) or literal (`'…'`) string, escapes resolved.
    case string(String)
    /// A signed 64-bit integer (written in decimal, hexadecimal, octal or binary).
    case integer(Int)
    /// `true` or `false`.
    case boolean(Bool)
    /// An array; its elements may have different types (TOML 1.0).
    case array([TOMLValue])
    /// A table: a `[section]`, a table made by dotted keys, or an inline table.
    case table(TOMLTable)

    /// The type's name with its article, for messages: "a string", "an integer", "a boolean",
    /// "an array", "a table".
    public var typeDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The integer, if this is an integer.
    public var integerValue: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The boolean, if this is a boolean.
    public var booleanValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    /// The elements, if this is an array.
    public var arrayValue: [TOMLValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The table, if this is a table.
    public var tableValue: TOMLTable? {
        if case .table(let value) = self { value } else { nil }
    }
}

extension TOMLValue: ExpressibleByStringLiteral {
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TOMLValue: ExpressibleByIntegerLiteral {
    /// An integer value.
    public init(integerLiteral value: Int) { self = .integer(value) }
}

extension TOMLValue: ExpressibleByBooleanLiteral {
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension TOMLValue: ExpressibleByArrayLiteral {
    /// An array value.
    public init(arrayLiteral elements: TOMLValue...) { self = .array(elements) }
}

extension TOMLValue: ExpressibleByDictionaryLiteral {
    /// A table value, keys in the literal's order.
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        self = .table(TOMLTable(elements))
    }
}

/// Where something is in a TOML document: a 1-based line and column (in Unicode scalars).
public struct TOMLPosition: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars (a tab counts as one).
    public let column: Int

    /// A position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A TOML table: keys in document order, each with its value and the position where it
/// was defined.
///
/// Parse a document with ``parse(_:source:)``, ``parse(utf8:source:)`` or
/// ``parse(fileAt:source:)``; read a configuration strictly with ``TOMLTableReader``.
/// Equality compares keys (in order) and values, not positions.
public struct TOMLTable: Sendable, Equatable {
    /// The keys, in the order they were first defined in the document.
    public private(set) var keys: [String]
    private var values: [String: TOMLValue]
    private var positions: [String: TOMLPosition]

    /// An empty table.
    public init() {
        keys = []
        values = [:]
        positions = [:]
    }

    /// A table with these keys and values, in this order, and no positions.
    ///
    /// - Precondition: the keys are distinct.
    public init(_ entries: [(String, TOMLValue)]) {
        self.init()
        for (key, value) in entries {
            precondition(values[key] == nil, "duplicate key \(key) in a TOMLTable literal")
            insert(key, value, at: nil)
        }
    }

    /// The value for `key`, or nil when the table has no such key.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// The number of keys.
    public var count: Int { keys.count }

    /// Whether the table has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// The keys and values in document order.
    public var entries: [(key: String, value: TOMLValue)] { keys.map { ($0, values[$0]!) } }

    /// The line where `key` was defined (for a table: its header, or the dotted key that
    /// created it), or nil when the key is absent or the table was not parsed.
    public func line(of key: String) -> Int? { positions[key]?.line }

    /// The line and column where `key` was defined, or nil when the key is absent or the
    /// table was not parsed.
    public func position(of key: String) -> TOMLPosition? { positions[key] }

    /// Keys and values equal, in the same order; positions are ignored.
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    mutating func insert(_ key: String, _ value: TOMLValue, at position: TOMLPosition?) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        positions[key] = position
    }
}

extension TOMLTable: ExpressibleByDictionaryLiteral {
    /// A table with these keys and values, in the literal's order.
    public init(dictionaryLiteral elements: (String, TOMLValue)...) { self.init(elements) }
}

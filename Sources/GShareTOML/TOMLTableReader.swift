//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// Reads one table of a strict configuration file: each accessor checks the type of the
/// key it reads and remembers that the key is known, so ``requireNoUnknownKeys()`` can
/// then refuse any key nobody asked for (a misspelling, a setting from another version).
///
/// ```swift
/// var reader = TOMLTableReader(try TOMLTable.parse(fileAt: path), source: path)
/// let name = try reader.requiredString("name")
/// let days = try reader.integer("days") ?? 30
/// if var defaults = try reader.table("defaults") {
///     let tenant = try defaults.string("tenant")
///     try defaults.requireNoUnknownKeys()
/// }
/// try reader.requireNoUnknownKeys()
/// ```
///
/// Errors name the key by its dotted path and give the line where it is defined, e.g.
/// `lab.toml:4:1: "defaults.days" must be an integer, found a string`. Each reader tracks
/// only its own table: call ``requireNoUnknownKeys()`` on every reader, nested ones too.
public struct TOMLTableReader: Sendable {
    /// The table being read.
    public let table: TOMLTable
    /// The document's name for errors, usually its file path.
    public let source: String
    /// The dotted path of this table from the document root (`""` for the root), as TOML
    /// writes it: `defaults`, `servers."eu 1"`.
    public let path: String
    /// The keys asked for (or declared with ``markKnown(_:)``), in the order first asked.
    public private(set) var knownKeys: [String] = []
    /// Where the table itself is defined, for errors about a missing key; 0 for the root.
    private let tableLine: Int
    private let tableColumn: Int

    /// A reader of `table`.
    ///
    /// - Parameters:
    ///   - table: the table to read.
    ///   - source: the document's name for errors, usually its file path.
    ///   - path: the table's dotted path from the document root, for messages (`""` for the
    ///     root table).
    public init(_ table: TOMLTable, source: String, path: String = "") {
        self.init(table, source: source, path: path, position: nil)
    }

    private init(_ table: TOMLTable, source: String, path: String, position: TOMLPosition?) {
        self.table = table
        self.source = source
        self.path = path
        self.tableLine = position?.line ?? 0
        self.tableColumn = position?.column ?? 0
    }

    /// Declares keys as known without reading them (e.g. keys only some modes use), so
    /// ``requireNoUnknownKeys()`` accepts them.
    public mutating func markKnown(_ keys: String...) {
        for key in keys { remember(key) }
    }

    /// The raw value of `key`, or nil when absent; marks the key as known.
    public mutating func value(_ key: String) -> TOMLValue? {
        remember(key)
        return table[key]
    }

    /// The string at `key`, or nil when absent.
    /// - Throws: ``TOMLError/Code-swift.struct/wrongType`` when the value is not a string.
    public mutating func string(_ key: String) throws(TOMLError) -> String? {
        try typed(key, "a string") { $0.stringValue }
    }

    /// The integer at `key`, or nil when absent.
    /// - Throws: ``TOMLError/Code-swift.struct/wrongType`` when the value is not an integer.
    public mutating func integer(_ key: String) throws(TOMLError) -> Int? {
        try typed(key, "an integer") { $0.integerValue }
    }

    /// The boolean at `key`, or nil when absent.
    /// - Throws: ``TOMLError/Code-swift.struct/wrongType`` when the value is not a boolean.
    public mutating func boolean(_ key: String) throws(TOMLError) -> Bool? {
        try typed(key, "a boolean") { $0.booleanValue }
    }

    /// The array of strings at `key`, or nil when absent.
    /// - Throws: ``TOMLError/Code-swift.struct/wrongType`` when the value is not an array,
    ///   or an element is not a string.
    public mutating func strings(_ key: String) throws(TOMLError) -> [String]? {
        guard let elements = try typed(key, "an array of strings", { $0.arrayValue }) else { return nil }
        var strings: [String] = []
        for (offset, element) in elements.enumerated() {
            guard let string = element.stringValue else {
                throw error(
                    .wrongType, at: key,
                    "\(describe(key)) must be an array of strings, but element \(offset + 1) is \(element.typeDescription)")
            }
            strings.append(string)
        }
        return strings
    }

    /// A reader of the table (a `[section]`, dotted-key table or inline table) at `key`,
    /// or nil when absent. Its messages name the table by its full dotted path.
    /// - Throws: ``TOMLError/Code-swift.struct/wrongType`` when the value is not a table.
    public mutating func table(_ key: String) throws(TOMLError) -> TOMLTableReader? {
        guard let table = try typed(key, "a table", { $0.tableValue }) else { return nil }
        return TOMLTableReader(table, source: source, path: childPath(key), position: self.table.position(of: key))
    }

    /// The string at `key`.
    /// - Throws: ``TOMLError/Code-swift.struct/missingKey`` when absent,
    ///   ``TOMLError/Code-swift.struct/wrongType`` when not a string.
    public mutating func requiredString(_ key: String) throws(TOMLError) -> String {
        try require(key, "a string", string(key))
    }

    /// The integer at `key`.
    /// - Throws: ``TOMLError/Code-swift.struct/missingKey`` when absent,
    ///   ``TOMLError/Code-swift.struct/wrongType`` when not an integer.
    public mutating func requiredInteger(_ key: String) throws(TOMLError) -> Int {
        try require(key, "an integer", integer(key))
    }

    /// The boolean at `key`.
    /// - Throws: ``TOMLError/Code-swift.struct/missingKey`` when absent,
    ///   ``TOMLError/Code-swift.struct/wrongType`` when not a boolean.
    public mutating func requiredBoolean(_ key: String) throws(TOMLError) -> Bool {
        try require(key, "a boolean", boolean(key))
    }

    /// The array of strings at `key`.
    /// - Throws: ``TOMLError/Code-swift.struct/missingKey`` when absent,
    ///   ``TOMLError/Code-swift.struct/wrongType`` when not an array of strings.
    public mutating func requiredStrings(_ key: String) throws(TOMLError) -> [String] {
        try require(key, "an array of strings", strings(key))
    }

    /// A reader of the table at `key`.
    /// - Throws: ``TOMLError/Code-swift.struct/missingKey`` when absent,
    ///   ``TOMLError/Code-swift.struct/wrongType`` when not a table.
    public mutating func requiredTable(_ key: String) throws(TOMLError) -> TOMLTableReader {
        try require(key, "a table", table(key))
    }

    /// The keys of the table that were never asked for nor marked known, in document order.
    public var unknownKeys: [String] { table.keys.filter { !knownKeys.contains($0) } }

    /// Refuses the table if it has a key that was never asked for nor marked known.
    /// - Throws: ``TOMLError/Code-swift.struct/unknownKey`` at the first unknown key, listing
    ///   the known keys (and the closest one, when the key looks misspelt).
    public func requireNoUnknownKeys() throws(TOMLError) {
        let unknown = unknownKeys
        guard let key = unknown.first else { return }
        let place = path.isEmpty ? "at the top level" : "in [\(path)]"
        var message = "unknown key \"\(key)\" \(place)"
        if let suggestion = closestKnownKey(to: key) { message += " (did you mean \"\(suggestion)\"?)" }
        message +=
            knownKeys.isEmpty
            ? "; this table takes no keys, so remove it"
            : "; known keys: \(knownKeys.map(KeyText.render).joined(separator: ", ")); remove it or correct its spelling"
        if unknown.count > 1 { message += " (other unknown keys: \(unknown.dropFirst().map(KeyText.render).joined(separator: ", ")))" }
        throw error(.unknownKey, at: key, message)
    }

    // MARK: Helpers

    private mutating func remember(_ key: String) {
        if !knownKeys.contains(key) { knownKeys.append(key) }
    }

    private mutating func typed<T>(
        _ key: String, _ expected: String, _ extract: (TOMLValue) -> T?
    ) throws(TOMLError) -> T? {
        guard let value = value(key) else { return nil }
        guard let typed = extract(value) else {
            throw error(.wrongType, at: key, "\(describe(key)) must be \(expected), found \(value.typeDescription)")
        }
        return typed
    }

    private func require<T>(_ key: String, _ expected: String, _ value: T?) throws(TOMLError) -> T {
        guard let value else {
            let place = path.isEmpty ? "" : " in [\(path)]"
            throw TOMLError(
                .missingKey, source: source, line: tableLine, column: tableColumn,
                message: "missing required key \"\(key)\"\(place); add \(KeyText.render(key)) = <\(expected)>")
        }
        return value
    }

    private func childPath(_ key: String) -> String {
        path.isEmpty ? KeyText.render(key) : path + "." + KeyText.render(key)
    }

    /// `"days"` at the root, `"defaults.days"` in a table.
    private func describe(_ key: String) -> String {
        let full = childPath(key)
        return full.contains("\"") ? full : "\"\(full)\""
    }

    private func error(_ code: TOMLError.Code, at key: String, _ message: String) -> TOMLError {
        let position = table.position(of: key)
        return TOMLError(code, source: source, line: position?.line ?? tableLine, column: position?.column ?? tableColumn, message: message)
    }

    /// A known key within edit distance 2 of `key` (case-insensitive), if any.
    private func closestKnownKey(to key: String) -> String? {
        let target = Array(key.lowercased().unicodeScalars)
        var best: (key: String, distance: Int)?
        for known in knownKeys {
            let distance = Self.editDistance(target, Array(known.lowercased().unicodeScalars))
            if distance <= 2, distance < (best?.distance ?? .max) { best = (known, distance) }
        }
        return best?.key
    }

    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// A table under construction, with what TOML's definition rules need to know: how the
/// table came to be, and where each key was defined. Lives only during one parse.
final class TableBuilder {
    enum Origin {
        /// The document's root table.
        case root
        /// Created as a super-table by a header (`[a.b]` creates `a`); a later `[a]` may
        /// still define it.
        case implicitByHeader
        /// Defined by a `[header]`.
        case header
        /// Created and defined by dotted keys (`a.b = 1` defines `a`).
        case dotted
        /// The root of an inline table (`{ … }`).
        case inline
    }

    enum Entry {
        case value(TOMLValue, offset: Int)
        case table(TableBuilder, offset: Int)

        var offset: Int {
            switch self {
            case .value(_, let offset), .table(_, let offset): offset
            }
        }
    }

    var origin: Origin
    /// Nesting depth: 0 for the root, one more for each table or array around it.
    let depth: Int
    /// The key path from the document root, for messages.
    let path: [String]
    private(set) var keys: [String] = []
    private(set) var entries: [String: Entry] = [:]

    init(origin: Origin, depth: Int, path: [String]) {
        self.origin = origin
        self.depth = depth
        self.path = path
    }

    /// `" in [a.b]"`, `" in the inline table "a.b""`, or nothing for the root: where a
    /// key of this table sits, for messages.
    var context: String {
        switch origin {
        case .root: ""
        case .inline: " in the inline table \(KeyText.quoted(path: path))"
        case .implicitByHeader, .header, .dotted: " in [\(KeyText.render(path: path))]"
        }
    }

    subscript(key: String) -> Entry? { entries[key] }

    func set(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { keys.append(key) }
    }

    /// The finished, immutable table.
    func build(_ text: SourceText) -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch entries[key]! {
            case .value(let value, let offset):
                table.insert(key, value, at: text.position(of: offset))
            case .table(let child, let offset):
                table.insert(key, .table(child.build(text)), at: text.position(of: offset))
            }
        }
        return table
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// ASCII bytes the grammar uses.
private enum ASCII {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let equals = UInt8(ascii: "=")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let underscore = UInt8(ascii: "_")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// One part of a (possibly dotted) key, with where it starts.
private struct KeySegment {
    let name: String
    let offset: Int
}

/// What a number-like token turned out to be.
private enum NumberToken {
    case integer(Int)
    case float
    case dateTime
    case invalidInteger(String)
    case overflow
    case notANumber
}

/// A recursive-descent parser for the TOML 1.0 subset gshare supports. Input has been
/// validated by ``SourceText``: valid UTF-8, no NUL, no control characters but tab, and
/// every carriage return is followed by a line feed.
struct Parser {
    private let text: SourceText
    private let bytes: [UInt8]
    private var index: Int

    init(_ text: SourceText) {
        self.text = text
        self.bytes = text.bytes
        self.index = text.start
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        let root = TableBuilder(origin: .root, depth: 0, path: [])
        var section = root
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case ASCII.lineFeed, ASCII.carriageReturn:
                skipNewline()
            case ASCII.hash:
                skipComment()
            case ASCII.openBracket:
                section = try parseTableHeader(root: root)
                try expectEndOfLine(
                    .invalidTableHeader,
                    after: "the table header [\(KeyText.render(path: section.path))]; only a comment may follow a table header on its line")
            default:
                let key = try parseKeyValue(into: section)
                try expectEndOfLine(
                    .junkAfterValue,
                    after: "the value of \(key); only a comment (starting with #) may follow a value on its line")
            }
        }
        return root.build(text)
    }

    // MARK: Tables

    private mutating func parseTableHeader(root: TableBuilder) throws(TOMLError) -> TableBuilder {
        let start = index
        index += 1
        if peek() == ASCII.openBracket {
            throw text.error(
                .unsupportedArrayOfTables, at: start,
                "arrays of tables ([[name]]) are not supported by gshare's TOML reader; use named sub-tables ([name.first], [name.second]) instead")
        }
        skipWhitespace()
        let segments = try parseKey(inHeader: true)
        skipWhitespace()
        guard peek() == ASCII.closeBracket else {
            let found = describeFound(at: index)
            if atEndOfLine {
                throw text.error(
                    .invalidTableHeader, at: index, "the table header is missing its closing \"]\"; write [\(KeyText.render(path: segments.map(\.name)))]")
            }
            throw text.error(
                .invalidTableHeader, at: index,
                "expected \"]\" to close the table header, found \(found); table names containing spaces or other characters must be quoted, e.g. [\"my table\"]"
            )
        }
        index += 1
        return try defineTable(segments, in: root)
    }

    private func defineTable(_ segments: [KeySegment], in root: TableBuilder) throws(TOMLError) -> TableBuilder {
        var table = root
        let header = "[\(KeyText.render(path: segments.map(\.name)))]"
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            let path = segments[...position].map(\.name)
            switch table[segment.name] {
            case nil:
                let child = try makeChild(of: table, named: segment.name, origin: isLast ? .header : .implicitByHeader, at: segment.offset)
                table.set(segment.name, .table(child, offset: segment.offset))
                table = child
            case .value(let value, let offset):
                throw valueInTheWay(value, path: path, definedAt: offset, by: header, at: segment.offset)
            case .table(let child, let offset):
                if isLast {
                    switch child.origin {
                    case .implicitByHeader:
                        child.origin = .header
                        table.set(segment.name, .table(child, offset: segment.offset))
                    case .dotted:
                        let line = text.line(of: offset)
                        throw text.error(
                            .tableRedefined, at: segment.offset,
                            "table \(header) is already defined by the dotted key on line \(line); define its keys either with dotted keys or in this section, not both",
                            relatedLine: line)
                    case .header, .root, .inline:
                        let line = text.line(of: offset)
                        throw text.error(
                            .tableRedefined, at: segment.offset,
                            "table \(header) is already defined on line \(line); a table can be defined only once, so merge the two sections",
                            relatedLine: line)
                    }
                }
                table = child
            }
        }
        return table
    }

    private func makeChild(
        of table: TableBuilder, named name: String, origin: TableBuilder.Origin, at offset: Int
    ) throws(TOMLError) -> TableBuilder {
        let depth = table.depth + 1
        guard depth <= TOMLTable.maximumNestingDepth else { throw nestingTooDeep(at: offset) }
        return TableBuilder(origin: origin, depth: depth, path: table.path + [name])
    }

    private func nestingTooDeep(at offset: Int) -> TOMLError {
        text.error(
            .nestingTooDeep, at: offset,
            "tables and arrays are nested more than \(TOMLTable.maximumNestingDepth) levels deep; gshare's TOML reader refuses deeper nesting, so flatten the structure")
    }

    /// The error for a value standing where a table is needed (`a = 1` then `[a.b]`).
    private func valueInTheWay(
        _ value: TOMLValue, path: [String], definedAt offset: Int, by what: String, at errorOffset: Int
    ) -> TOMLError {
        let line = text.line(of: offset)
        let name = KeyText.quoted(path: path)
        if case .table = value {
            return text.error(
                .inlineTableExtended, at: errorOffset,
                "\(name) is an inline table (defined on line \(line)), which cannot be extended by \(what); put all of its keys inside its { }, or make it a [\(KeyText.render(path: path))] section",
                relatedLine: line)
        }
        return text.error(
            .keyIsValueAndTable, at: errorOffset,
            "\(name) is already \(value.typeDescription) (defined on line \(line)), so \(what) cannot make it a table; a key cannot be both a value and a table, so rename one of them",
            relatedLine: line)
    }

    // MARK: Keys

    private mutating func parseKey(inHeader: Bool) throws(TOMLError) -> [KeySegment] {
        var segments: [KeySegment] = []
        while true {
            segments.append(try parseSimpleKey(after: segments, inHeader: inHeader))
            if segments.count > TOMLTable.maximumNestingDepth { throw nestingTooDeep(at: segments.last!.offset) }
            skipWhitespace()
            guard peek() == ASCII.dot else { return segments }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func parseSimpleKey(after previous: [KeySegment], inHeader: Bool) throws(TOMLError) -> KeySegment {
        let start = index
        guard let byte = peek() else { throw emptyKey(at: start, after: previous, inHeader: inHeader) }
        switch byte {
        case ASCII.quote, ASCII.apostrophe:
            if isTripleQuote(byte) {
                throw text.error(
                    .unsupportedMultilineString, at: start,
                    "multi-line strings are not supported by gshare's TOML reader, and a key cannot be one; use a \"quoted key\" on one line")
            }
            let name = byte == ASCII.quote ? try parseBasicString() : try parseLiteralString()
            return KeySegment(name: name, offset: start)
        case _ where KeyText.isBareKeyByte(byte):
            while let next = peek(), KeyText.isBareKeyByte(next) { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            if let next = peek(), !Self.endsBareKey(next) {
                throw text.error(
                    .invalidKey, at: index,
                    "\(text.describeCharacter(at: index)) is not allowed in the bare key \"\(name)…\"; bare keys may only contain ASCII letters, digits, \"_\" and \"-\", so put the whole key in quotes"
                )
            }
            return KeySegment(name: name, offset: start)
        case ASCII.equals, ASCII.dot, ASCII.lineFeed, ASCII.carriageReturn, ASCII.hash:
            throw emptyKey(at: start, after: previous, inHeader: inHeader)
        case ASCII.closeBracket where inHeader:
            throw emptyKey(at: start, after: previous, inHeader: inHeader)
        default:
            throw text.error(
                .invalidKey, at: start,
                "\(text.describeCharacter(at: start)) cannot start a key; bare keys may only contain ASCII letters, digits, \"_\" and \"-\", so quote other keys, e.g. \"my key\" = 1"
            )
        }
    }

    private static func endsBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.dot, ASCII.equals, ASCII.lineFeed, ASCII.carriageReturn, ASCII.hash,
            ASCII.closeBracket, ASCII.closeBrace, ASCII.comma:
            true
        default: false
        }
    }

    private func emptyKey(at offset: Int, after previous: [KeySegment], inHeader: Bool) -> TOMLError {
        if !previous.isEmpty {
            return text.error(
                .emptyKey, at: offset,
                "empty key part after \"\(KeyText.render(path: previous.map(\.name))).\"; a dotted key needs a name after each dot")
        }
        if inHeader {
            return text.error(.emptyKey, at: offset, "empty table name in a table header; write [name]")
        }
        if offset < bytes.count, bytes[offset] == ASCII.equals {
            return text.error(.emptyKey, at: offset, "missing key before \"=\"; write name = value")
        }
        return text.error(.emptyKey, at: offset, "missing key before \(text.describeCharacter(at: offset)); write name = value")
    }

    // MARK: Key/value pairs

    /// Parses `key = value` into `section` and returns the key as written, for messages.
    private mutating func parseKeyValue(into section: TableBuilder) throws(TOMLError) -> String {
        let segments = try parseKey(inHeader: false)
        let written = KeyText.quoted(path: segments.map(\.name))
        skipWhitespace()
        guard peek() == ASCII.equals else {
            if atEndOfLine {
                throw text.error(
                    .missingEquals, at: index,
                    "expected \"=\" after the key \(written); write \(KeyText.render(path: segments.map(\.name))) = value")
            }
            throw text.error(
                .missingEquals, at: index,
                "expected \"=\" after the key \(written), found \(describeFound(at: index)); keys containing spaces or other characters must be quoted"
            )
        }
        index += 1
        skipWhitespace()
        let (table, last) = try resolve(segments, in: section)
        let value = try parseValue(depth: table.depth + 1, keyPath: table.path + [last.name], key: written)
        table.set(last.name, .value(value, offset: last.offset))
        return written
    }

    /// Finds (creating as needed) the table a dotted key's last part goes in, and checks
    /// that the last part is not defined yet.
    private func resolve(_ segments: [KeySegment], in section: TableBuilder) throws(TOMLError) -> (TableBuilder, KeySegment) {
        var table = section
        let written = KeyText.quoted(path: segments.map(\.name))
        for (position, segment) in segments.dropLast().enumerated() {
            let path = segments[...position].map(\.name)
            switch table[segment.name] {
            case nil:
                let child = try makeChild(of: table, named: segment.name, origin: .dotted, at: segment.offset)
                table.set(segment.name, .table(child, offset: segment.offset))
                table = child
            case .value(let value, let offset):
                throw valueInTheWay(value, path: path, definedAt: offset, by: "the dotted key \(written)", at: segment.offset)
            case .table(let child, let offset):
                guard child.origin == .dotted else {
                    let line = text.line(of: offset)
                    let how = child.origin == .header ? "defined by the header" : "created by the header"
                    throw text.error(
                        .tableRedefined, at: segment.offset,
                        "the dotted key \(written) adds to the table [\(KeyText.render(path: child.path))], which is \(how) on line \(line); move the key into that table's section"
                            + " (a table defined by a header cannot be extended with dotted keys)",
                        relatedLine: line)
                }
                table = child
            }
        }
        let last = segments[segments.count - 1]
        switch table[last.name] {
        case nil:
            return (table, last)
        case .value(_, let offset):
            let line = text.line(of: offset)
            throw text.error(
                .duplicateKey, at: last.offset,
                "duplicate key \(written)\(section.context) (first defined on line \(line)); remove one of them", relatedLine: line)
        case .table(_, let offset):
            let line = text.line(of: offset)
            throw text.error(
                .keyIsValueAndTable, at: last.offset,
                "\(written)\(section.context) is already a table (defined on line \(line)); a key cannot be both a table and a value, so rename one of them",
                relatedLine: line)
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int, keyPath: [String], key: String?) throws(TOMLError) -> TOMLValue {
        let start = index
        guard let byte = peek() else { throw missingValue(at: start, key: key) }
        switch byte {
        case ASCII.lineFeed, ASCII.carriageReturn, ASCII.hash, ASCII.comma, ASCII.closeBracket, ASCII.closeBrace:
            throw missingValue(at: start, key: key)
        case ASCII.quote, ASCII.apostrophe:
            if isTripleQuote(byte) {
                let quotes = byte == ASCII.quote ? "\"\"\"" : "'''"
                throw text.error(
                    .unsupportedMultilineString, at: start,
                    "multi-line strings (\(quotes) … \(quotes)) are not supported by gshare's TOML reader; write a single-line string, with \\n for line breaks if needed"
                )
            }
            return .string(byte == ASCII.quote ? try parseBasicString() : try parseLiteralString())
        case ASCII.openBracket:
            return try parseArray(depth: depth, keyPath: keyPath)
        case ASCII.openBrace:
            return try parseInlineTable(depth: depth, keyPath: keyPath)
        case ASCII.plus, ASCII.minus, UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case ASCII.underscore, UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return try parseWord()
        default:
            throw text.error(
                .invalidValue, at: start,
                "\(text.describeCharacter(at: start)) cannot start a value; write a \"string\", an integer, true or false, an array [ … ] or an inline table { … }"
            )
        }
    }

    private func missingValue(at offset: Int, key: String?) -> TOMLError {
        guard let key else {
            return text.error(.missingValue, at: offset, "missing value; write a \"string\", an integer, true or false, [ … ] or { … }")
        }
        return text.error(
            .missingValue, at: offset,
            "missing value for the key \(key); write a \"string\", an integer, true or false, an array [ … ] or an inline table { … } after the \"=\""
        )
    }

    /// Whether the byte at `index` ends a number or word value.
    private var atValueEnd: Bool {
        guard let byte = peek() else { return true }
        switch byte {
        case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn, ASCII.comma, ASCII.closeBracket, ASCII.closeBrace,
            ASCII.hash:
            return true
        default:
            return false
        }
    }

    /// The text from `start` to the next space, tab, comma, bracket, brace, `#` or line
    /// end (at most 60 characters), for messages about values that are not values.
    private func tokenText(from start: Int) -> String {
        var end = start
        while end < bytes.count {
            switch bytes[end] {
            case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn, ASCII.comma, ASCII.closeBracket,
                ASCII.closeBrace, ASCII.hash:
                break
            default:
                end += 1
                continue
            }
            break
        }
        let token = String(decoding: bytes[start..<end], as: UTF8.self)
        return token.count > 60 ? String(token.prefix(60)) + "…" : token
    }

    /// What stands at `offset`, for "found …" messages: the whole token when it is plain
    /// ASCII text (`"60"`), else the character.
    private func describeFound(at offset: Int) -> String {
        guard offset < bytes.count, (0x21..<0x7F).contains(bytes[offset]) else { return text.describeCharacter(at: offset) }
        let token = tokenText(from: offset)
        guard !token.isEmpty, !token.contains("\""), token.utf8.allSatisfy({ (0x21..<0x7F).contains($0) }) else {
            return text.describeCharacter(at: offset)
        }
        return "\"\(token)\""
    }

    private func notAValue(from start: Int) -> TOMLError {
        let token = tokenText(from: start)
        let suggestion = token.contains("\"") ? "'\(token)'" : "\"\(token)\""
        return text.error(
            .invalidValue, at: start, "\"\(token)\" is not a valid value; text must be written in quotes, e.g. \(suggestion)")
    }

    private mutating func parseWord() throws(TOMLError) -> TOMLValue {
        let start = index
        while let byte = peek(), KeyText.isBareKeyByte(byte) { index += 1 }
        guard atValueEnd else { throw notAValue(from: start) }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        switch word {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "nan": throw unsupportedFloat(at: start)
        default:
            let lowercased = word.lowercased()
            if lowercased == "true" || lowercased == "false" {
                throw text.error(.invalidValue, at: start, "\"\(word)\" is not a valid value; booleans are lowercase: write \(lowercased)")
            }
            throw notAValue(from: start)
        }
    }

    private func unsupportedFloat(at offset: Int) -> TOMLError {
        text.error(
            .unsupportedFloat, at: offset,
            "floats are not supported by gshare's TOML reader (\"\(tokenText(from: offset))\"); use an integer, or a \"string\" if the setting takes text"
        )
    }

    private mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let start = index
        while let byte = peek(), KeyText.isBareKeyByte(byte) || byte == ASCII.plus || byte == ASCII.dot || byte == ASCII.colon {
            index += 1
        }
        let token = bytes[start..<index]
        let classified = Self.classifyNumber(token)
        if case .dateTime = classified {
            throw text.error(
                .unsupportedDateTime, at: start,
                "dates and times are not supported by gshare's TOML reader (\"\(tokenText(from: start))\"); write the date or time as a \"string\"")
        }
        guard atValueEnd else { throw notAValue(from: start) }
        let written = String(decoding: token, as: UTF8.self)
        switch classified {
        case .integer(let value):
            return .integer(value)
        case .float:
            throw unsupportedFloat(at: start)
        case .dateTime, .notANumber:
            throw notAValue(from: start)
        case .invalidInteger(let reason):
            throw text.error(.invalidInteger, at: start, "invalid integer \"\(written)\": \(reason)")
        case .overflow:
            throw text.error(
                .integerOverflow, at: start,
                "the integer \(written) does not fit in 64 bits; integers must lie between \(Int.min) and \(Int.max)")
        }
    }

    private static func classifyNumber(_ token: ArraySlice<UInt8>) -> NumberToken {
        var body = token
        var signed = false
        var negative = false
        if let first = body.first, first == ASCII.plus || first == ASCII.minus {
            signed = true
            negative = first == ASCII.minus
            body = body.dropFirst()
        }
        guard let first = body.first else { return .notANumber }
        let bodyText = String(decoding: body, as: UTF8.self)
        if bodyText == "inf" || bodyText == "nan" { return .float }
        if looksLikeDateTime(body) { return .dateTime }
        if first == UInt8(ascii: "0"), body.count >= 2 {
            let marker = body[body.startIndex + 1]
            let radix: UInt64? =
                switch marker {
                case UInt8(ascii: "x"): 16
                case UInt8(ascii: "o"): 8
                case UInt8(ascii: "b"): 2
                default: nil
                }
            if let radix {
                if signed {
                    return .invalidInteger(
                        "hexadecimal, octal and binary integers cannot have a sign; write a decimal integer for a negative value")
                }
                return parseDigits(body.dropFirst(2), radix: radix, negative: false, prefix: String(bodyText.prefix(2)))
            }
            if marker == UInt8(ascii: "X") || marker == UInt8(ascii: "O") || marker == UInt8(ascii: "B") {
                return .invalidInteger("the prefix must be lowercase: 0x, 0o or 0b")
            }
        }
        if looksLikeFloat(body) { return .float }
        guard body.allSatisfy({ ASCII.isDigit($0) || $0 == ASCII.underscore }) else { return .notANumber }
        if first == UInt8(ascii: "0"), body.count > 1 {
            let digits = body.filter { $0 != ASCII.underscore }.drop { $0 == UInt8(ascii: "0") }
            let plain = (negative ? "-" : "") + (digits.isEmpty ? "0" : String(decoding: digits, as: UTF8.self))
            return .invalidInteger("leading zeros are not allowed; write \(plain) (or use the 0o prefix for octal)")
        }
        return parseDigits(body, radix: 10, negative: negative, prefix: "")
    }

    private static func parseDigits(_ digits: ArraySlice<UInt8>, radix: UInt64, negative: Bool, prefix: String) -> NumberToken {
        let name =
            switch radix {
            case 16: "hexadecimal"
            case 8: "octal"
            case 2: "binary"
            default: "decimal"
            }
        guard !digits.isEmpty else { return .invalidInteger("\"\(prefix)\" must be followed by \(name) digits") }
        if digits.first == ASCII.underscore || digits.last == ASCII.underscore
            || zip(digits, digits.dropFirst()).contains(where: { $0 == ASCII.underscore && $1 == ASCII.underscore })
        {
            return .invalidInteger("each \"_\" must sit between two digits")
        }
        var magnitude: UInt64 = 0
        var overflow = false
        for byte in digits where byte != ASCII.underscore {
            guard let digit = ASCII.digitValue(byte), digit < radix else {
                if radix == 10 { return .notANumber }
                return .invalidInteger("\"\(Character(Unicode.Scalar(byte)))\" is not a \(name) digit")
            }
            let (product, multiplyOverflow) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, addOverflow) = product.addingReportingOverflow(digit)
            overflow = overflow || multiplyOverflow || addOverflow
            magnitude = sum
        }
        let limit = negative ? UInt64(Int.max) + 1 : UInt64(Int.max)
        if overflow || magnitude > limit { return .overflow }
        if negative { return .integer(magnitude == limit ? Int.min : -Int(magnitude)) }
        return .integer(Int(magnitude))
    }

    /// `1979-05-27…` or `07:32…`.
    private static func looksLikeDateTime(_ body: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(body)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { ASCII.isDigit(bytes[$0]) } }
        if bytes.count >= 10, digits(0..<4), bytes[4] == ASCII.minus, digits(5..<7), bytes[7] == ASCII.minus, digits(8..<10) {
            return true
        }
        return bytes.count >= 5 && digits(0..<2) && bytes[2] == ASCII.colon && digits(3..<5)
    }

    /// A TOML float's shape: digits, then `.digits`, an exponent `e[+-]digits`, or both.
    private static func looksLikeFloat(_ body: ArraySlice<UInt8>) -> Bool {
        var position = body.startIndex
        func digits() -> Bool {
            let start = position
            while position < body.endIndex, ASCII.isDigit(body[position]) || body[position] == ASCII.underscore { position += 1 }
            return position > start && ASCII.isDigit(body[start])
        }
        guard digits() else { return false }
        var fractionOrExponent = false
        if position < body.endIndex, body[position] == ASCII.dot {
            position += 1
            guard digits() else { return false }
            fractionOrExponent = true
        }
        if position < body.endIndex, body[position] == UInt8(ascii: "e") || body[position] == UInt8(ascii: "E") {
            position += 1
            if position < body.endIndex, body[position] == ASCII.plus || body[position] == ASCII.minus { position += 1 }
            guard digits() else { return false }
            fractionOrExponent = true
        }
        return fractionOrExponent && position == body.endIndex
    }

    // MARK: Strings

    private func isTripleQuote(_ quote: UInt8) -> Bool {
        index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
    }

    private func unterminatedString(at start: Int, quote: String) -> TOMLError {
        text.error(
            .unterminatedString, at: start,
            "unterminated string: the closing \(quote) is missing on this line; a string must end on the line it starts (multi-line strings are not supported)"
        )
    }

    /// A `"basic string"`; `index` is at the opening quote.
    private mutating func parseBasicString() throws(TOMLError) -> String {
        let start = index
        index += 1
        var content: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case ASCII.quote:
                index += 1
                return String(decoding: content, as: UTF8.self)
            case ASCII.backslash:
                try parseEscape(into: &content)
            case ASCII.lineFeed, ASCII.carriageReturn:
                throw unterminatedString(at: start, quote: "\"")
            default:
                content.append(byte)
                index += 1
            }
        }
        throw unterminatedString(at: start, quote: "\"")
    }

    private mutating func parseEscape(into content: inout [UInt8]) throws(TOMLError) {
        let start = index
        index += 1
        let valid = "the valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX"
        guard let byte = peek(), byte != ASCII.lineFeed, byte != ASCII.carriageReturn else {
            throw text.error(
                .invalidEscape, at: start,
                "a \"\\\" at the end of a line is not allowed (line continuations need multi-line strings, which are not supported); write \\\\ for a backslash")
        }
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "t"): 0x09
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "r"): 0x0D
            case ASCII.quote: ASCII.quote
            case ASCII.backslash: ASCII.backslash
            default: nil
            }
        if let simple {
            content.append(simple)
            index += 1
            return
        }
        guard byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") else {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let escape = "\\" + String(decoding: bytes[index..<end], as: UTF8.self)
            throw text.error(
                .invalidEscape, at: start,
                "invalid escape \"\(escape)\" in a string; \(valid), so write \\\\ for a backslash (or use a 'literal string', which has no escapes)")
        }
        let count = byte == UInt8(ascii: "u") ? 4 : 8
        index += 1
        var value: UInt32 = 0
        for offset in 0..<count {
            guard index + offset < bytes.count, let digit = ASCII.digitValue(bytes[index + offset]) else {
                throw text.error(
                    .invalidEscape, at: start,
                    "\\\(Character(Unicode.Scalar(byte))) must be followed by exactly \(count) hexadecimal digits, e.g. \(count == 4 ? "\\u00E9" : "\\U0001F600")")
            }
            value = value << 4 | UInt32(digit)
        }
        guard let scalar = Unicode.Scalar(value) else {
            let written = String(decoding: bytes[(index - 2)..<(index + count)], as: UTF8.self)
            throw text.error(
                .invalidEscape, at: start,
                "\"\(written)\" is not a Unicode scalar value; surrogates (D800-DFFF) and values above 10FFFF cannot be written")
        }
        index += count
        UTF8.encode(scalar) { content.append($0) }
    }

    /// A `'literal string'`; `index` is at the opening apostrophe.
    private mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = index
        index += 1
        while let byte = peek() {
            switch byte {
            case ASCII.apostrophe:
                index += 1
                return String(decoding: bytes[(start + 1)..<(index - 1)], as: UTF8.self)
            case ASCII.lineFeed, ASCII.carriageReturn:
                throw unterminatedString(at: start, quote: "'")
            default:
                index += 1
            }
        }
        throw unterminatedString(at: start, quote: "'")
    }

    // MARK: Arrays and inline tables

    private mutating func parseArray(depth: Int, keyPath: [String]) throws(TOMLError) -> TOMLValue {
        let start = index
        guard depth <= TOMLTable.maximumNestingDepth else { throw nestingTooDeep(at: start) }
        index += 1
        var elements: [TOMLValue] = []
        while true {
            var crossedLine = skipArrayFiller()
            guard let byte = peek() else { throw unterminatedArray(at: start, newStatementAt: nil) }
            if byte == ASCII.closeBracket {
                index += 1
                return .array(elements)
            }
            if byte == ASCII.comma {
                throw text.error(
                    .missingValue, at: index,
                    "empty element in the array that starts on line \(text.line(of: start)) (a comma with no value before it); remove the extra comma")
            }
            if crossedLine, looksLikeNewStatement() { throw unterminatedArray(at: start, newStatementAt: index) }
            elements.append(try parseValue(depth: depth + 1, keyPath: keyPath, key: nil))
            crossedLine = skipArrayFiller()
            guard let next = peek() else { throw unterminatedArray(at: start, newStatementAt: nil) }
            switch next {
            case ASCII.comma:
                index += 1
            case ASCII.closeBracket:
                index += 1
                return .array(elements)
            default:
                if crossedLine, looksLikeNewStatement() { throw unterminatedArray(at: start, newStatementAt: index) }
                throw text.error(
                    .junkAfterValue, at: index,
                    "expected \",\" or \"]\" after an element of the array that starts on line \(text.line(of: start)), found \(describeFound(at: index)); separate elements with commas"
                )
            }
        }
    }

    private func unterminatedArray(at start: Int, newStatementAt statement: Int?) -> TOMLError {
        var message = "unterminated array: this \"[\" has no matching \"]\""
        var related: Int?
        if let statement {
            related = text.line(of: statement)
            message += " (line \(related!) starts a new key or table while the array is still open)"
        }
        return text.error(.unterminatedArray, at: start, message + "; close the array with \"]\" after its last element", relatedLine: related)
    }

    /// Whether the text at `index` (the first thing on its line, inside an array) is
    /// clearly a new statement rather than an element: `key =` or `[table]`. Neither can be
    /// an array element, so the array before it must be missing its `]`.
    private func looksLikeNewStatement() -> Bool {
        var position = index
        func skipSpaces() { while position < bytes.count, bytes[position] == ASCII.space || bytes[position] == ASCII.tab { position += 1 } }
        func bareRun() -> String {
            let start = position
            while position < bytes.count, KeyText.isBareKeyByte(bytes[position]) { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
        if bytes[position] == ASCII.openBracket {
            position += 1
            if position < bytes.count, bytes[position] == ASCII.openBracket { position += 1 }
            skipSpaces()
            let word = bareRun()
            return word.utf8.contains(where: ASCII.isLetter) && !["true", "false", "inf", "nan"].contains(word)
        }
        while true {
            guard !bareRun().isEmpty else { return false }
            skipSpaces()
            guard position < bytes.count, bytes[position] == ASCII.dot else { break }
            position += 1
            skipSpaces()
        }
        return position < bytes.count && bytes[position] == ASCII.equals
    }

    private mutating func parseInlineTable(depth: Int, keyPath: [String]) throws(TOMLError) -> TOMLValue {
        let start = index
        guard depth <= TOMLTable.maximumNestingDepth else { throw nestingTooDeep(at: start) }
        index += 1
        let table = TableBuilder(origin: .inline, depth: depth, path: keyPath)
        skipWhitespace()
        if peek() == ASCII.closeBrace {
            index += 1
            return .table(table.build(text))
        }
        var lastComma: Int?
        while true {
            skipWhitespace()
            if atEndOfLine || peek() == ASCII.hash { throw unterminatedInlineTable(at: start) }
            if let lastComma, peek() == ASCII.closeBrace {
                throw text.error(
                    .invalidInlineTable, at: lastComma,
                    "trailing comma in an inline table; remove the \",\" before \"}\" (TOML allows trailing commas only in arrays)")
            }
            _ = try parseKeyValue(into: table)
            skipWhitespace()
            guard let byte = peek(), byte != ASCII.lineFeed, byte != ASCII.carriageReturn, byte != ASCII.hash else {
                throw unterminatedInlineTable(at: start)
            }
            switch byte {
            case ASCII.comma:
                lastComma = index
                index += 1
            case ASCII.closeBrace:
                index += 1
                return .table(table.build(text))
            default:
                throw text.error(
                    .junkAfterValue, at: index,
                    "expected \",\" or \"}\" after a value in the inline table, found \(describeFound(at: index)); separate key = value pairs with commas")
            }
        }
    }

    private func unterminatedInlineTable(at start: Int) -> TOMLError {
        text.error(
            .unterminatedInlineTable, at: start,
            "unterminated inline table: this \"{\" has no matching \"}\" on its line; an inline table must be written on one line, so close it there or use a [table] section"
        )
    }

    // MARK: Whitespace, comments, line ends

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private var atEndOfLine: Bool {
        guard let byte = peek() else { return true }
        return byte == ASCII.lineFeed || byte == ASCII.carriageReturn
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == ASCII.space || byte == ASCII.tab { index += 1 }
    }

    private mutating func skipNewline() {
        index += bytes[index] == ASCII.carriageReturn ? 2 : 1
    }

    private mutating func skipComment() {
        while let byte = peek(), byte != ASCII.lineFeed, byte != ASCII.carriageReturn { index += 1 }
    }

    /// Skips spaces, tabs, comments and line ends inside an array; tells whether a line
    /// end was crossed.
    private mutating func skipArrayFiller() -> Bool {
        var crossedLine = false
        while let byte = peek() {
            switch byte {
            case ASCII.space, ASCII.tab: index += 1
            case ASCII.hash: skipComment()
            case ASCII.lineFeed, ASCII.carriageReturn:
                skipNewline()
                crossedLine = true
            default: return crossedLine
            }
        }
        return crossedLine
    }

    /// After a statement: spaces, an optional comment, then a line end or the end of input.
    private mutating func expectEndOfLine(_ code: TOMLError.Code, after what: String) throws(TOMLError) {
        skipWhitespace()
        if peek() == ASCII.hash { skipComment() }
        guard atEndOfLine else {
            throw text.error(code, at: index, "unexpected \(describeFound(at: index)) after \(what)")
        }
    }
}

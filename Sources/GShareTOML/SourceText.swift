//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// The bytes of a document, checked before parsing: not too large, valid UTF-8, no NUL,
/// no raw control characters (other than tab, LF and CRLF). Maps byte offsets to
/// 1-based lines and columns.
struct SourceText {
    let bytes: [UInt8]
    let source: String
    /// Offset of the first byte to parse (3 when the input starts with a UTF-8 BOM).
    let start: Int
    /// Offset at which each line starts; `lineStarts[0]` is `start`.
    private let lineStarts: [Int]
    /// `scalarCounts[k]` is the number of Unicode scalars in `bytes[0..<(k * 64)]`, so a
    /// column costs at most 63 byte checks however long the line (a hostile one-line
    /// document with many keys must not make positions quadratic).
    private let scalarCounts: [Int]

    init(validating bytes: [UInt8], source: String) throws(TOMLError) {
        guard bytes.count <= TOMLTable.maximumInputSize else {
            throw TOMLError(
                .inputTooLarge, source: source, line: 0, column: 0,
                message: "the input is \(bytes.count) bytes, larger than the \(TOMLTable.maximumInputSize) bytes (1 MiB) "
                    + "gshare's TOML reader accepts; configuration files should be far smaller, so check that this is the right file")
        }
        self.bytes = bytes
        self.source = source
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        self.start = start
        var lineStarts = [start]
        lineStarts.reserveCapacity(bytes.count / 16 + 1)
        var index = start
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case 0x0A:
                    lineStarts.append(index + 1)
                case 0x09, 0x20...0x7E:
                    break
                case 0x0D:
                    if index + 1 < count, bytes[index + 1] == 0x0A { break }
                    throw Self.error(
                        .controlCharacter, bytes, lineStarts, source, index,
                        "a carriage return (U+000D) must be followed by a line feed; save the file with LF or CRLF line endings")
                case 0x00:
                    throw Self.error(
                        .nulByte, bytes, lineStarts, source, index,
                        "NUL byte (U+0000) in the input; a TOML file is text and cannot contain NUL bytes, so remove it")
                default:
                    let hex = Self.hex(UInt32(byte))
                    throw Self.error(
                        .controlCharacter, bytes, lineStarts, source, index,
                        "raw control character U+\(hex) is not allowed; remove it, or write it as the escape \\u\(hex) inside a \"basic string\"")
                }
                index += 1
                continue
            }
            let length = Self.validSequenceLength(bytes, at: index)
            guard length > 0 else {
                throw Self.error(
                    .invalidUTF8, bytes, lineStarts, source, index,
                    "invalid UTF-8 (byte 0x\(String(bytes[index], radix: 16, uppercase: true))); a TOML file must be UTF-8 text, so save it as UTF-8")
            }
            index += length
        }
        self.lineStarts = lineStarts
        var scalarCounts: [Int] = []
        scalarCounts.reserveCapacity(count / Self.checkpointStride + 1)
        var scalars = 0
        for (offset, byte) in bytes.enumerated() {
            if offset % Self.checkpointStride == 0 { scalarCounts.append(scalars) }
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        if count % Self.checkpointStride == 0 { scalarCounts.append(scalars) }  // for offset == count
        self.scalarCounts = scalarCounts
    }

    private static let checkpointStride = 64

    /// The number of Unicode scalars in `bytes[0..<offset]`.
    private func scalarCount(before offset: Int) -> Int {
        let checkpoint = offset / Self.checkpointStride
        var count = scalarCounts[checkpoint]
        var index = checkpoint * Self.checkpointStride
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }

    /// The length of the well-formed UTF-8 sequence starting with a non-ASCII byte at
    /// `index`, or 0 when it is ill-formed (overlong, surrogate, above U+10FFFF, truncated).
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch bytes[index] {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    private static func error(
        _ code: TOMLError.Code, _ bytes: [UInt8], _ lineStarts: [Int], _ source: String, _ offset: Int, _ message: String
    ) -> TOMLError {
        let position = position(of: offset, bytes: bytes, lineStarts: lineStarts)
        return TOMLError(code, source: source, line: position.line, column: position.column, message: message)
    }

    /// The last line start at or before `offset`, as an index into `lineStarts`.
    private static func lineIndex(of offset: Int, lineStarts: [Int]) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// A position found by scanning the line; used while validating, before the
    /// checkpoints exist (once per document, for its error).
    private static func position(of offset: Int, bytes: [UInt8], lineStarts: [Int]) -> TOMLPosition {
        let low = lineIndex(of: offset, lineStarts: lineStarts)
        var column = 1
        var index = lineStarts[low]
        while index < offset, index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return TOMLPosition(line: low + 1, column: column)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The line and column of a byte offset.
    func position(of offset: Int) -> TOMLPosition {
        let offset = min(max(offset, 0), bytes.count)
        let line = Self.lineIndex(of: offset, lineStarts: lineStarts)
        let column = scalarCount(before: offset) - scalarCount(before: lineStarts[line]) + 1
        return TOMLPosition(line: line + 1, column: column)
    }

    /// The 1-based line of a byte offset.
    func line(of offset: Int) -> Int { position(of: offset).line }

    /// An error at a byte offset.
    func error(_ code: TOMLError.Code, at offset: Int, _ message: String, relatedLine: Int? = nil) -> TOMLError {
        let position = position(of: offset)
        return TOMLError(
            code, source: source, line: position.line, column: position.column, message: message, relatedLine: relatedLine)
    }

    /// The character at `offset` for a message: `"x"`, or `"é" (U+00E9)` beyond ASCII,
    /// or a name for line ends and the end of the input.
    func describeCharacter(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        switch byte {
        case 0x0A, 0x0D: return "the end of the line"
        case 0x09: return "a tab"
        case 0x22: return "'\"'"
        case 0x20..<0x7F: return "\"\(Character(Unicode.Scalar(byte)))\""
        default:
            var iterator = bytes[offset...].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                return "\"\(Character(scalar))\" (U+\(Self.hex(scalar.value)))"
            }
            return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}

/// Key rendering for messages.
enum KeyText {
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// A key as TOML would write it: bare when it can be, else a quoted basic string.
    static func render(_ key: String) -> String {
        if !key.isEmpty, key.utf8.allSatisfy(isBareKeyByte) { return key }
        var text = "\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\t": text += "\\t"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                text += "\\u" + SourceText.hex(scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// A dotted key path as TOML would write it (`a.b."x y"`).
    static func render(path: [String]) -> String { path.map(render).joined(separator: ".") }

    /// A dotted key path for a message: `"a.b"` when every part is bare, else the
    /// TOML form (`a."x y"`), which carries its own quotes.
    static func quoted(path: [String]) -> String {
        let rendered = render(path: path)
        return path.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isBareKeyByte) }) ? "\"\(rendered)\"" : rendered
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// A small element tree for the gluster CLI's XML: names, children and text, nothing else.
///
/// Built by a strict single-pass scanner over the bytes rather than Foundation's
/// `XMLDocument` (a full DOM) or `XMLParser` (a callback per event): a `volume info all` of
/// a 100-volume pool is ~230 KB, and `gshare pool list` should cost little more than the CLI
/// call. What gluster prints is plain XML 1.0: a declaration, elements without namespaces,
/// text with the five predefined entities and numeric references. Anything else — DOCTYPE
/// and entity declarations, mismatched or unclosed tags, stray text around the root — is
/// refused (nil), never guessed at.
final class LightXMLElement {
    let name: String
    private(set) var children: [LightXMLElement] = []
    private var textParts: [String] = []

    init(name: String) { self.name = name }

    /// The element's own text (its text parts, without its children's).
    var ownText: String { textParts.joined() }

    /// The element's own text followed by its descendants' (for leaf elements: the text).
    var stringValue: String {
        children.isEmpty ? textParts.joined() : textParts.joined() + children.map(\.stringValue).joined()
    }

    /// The direct children called `name`.
    func elements(forName name: String) -> [LightXMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child element called `name`, without surrounding whitespace.
    func text(of name: String) -> String? {
        guard let child = children.first(where: { $0.name == name }) else { return nil }
        return Self.trimmed(child.stringValue)
    }

    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// Parses a whole document; nil when it is not the plain, well-formed XML described above.
    static func parse(_ bytes: some Collection<UInt8>) -> LightXMLElement? {
        Array(bytes).withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            return scanner.document()
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// The most nested elements accepted (gluster's documents are about 6 deep).
    static let maximumDepth = 64

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var stack: [LightXMLElement] = []
        var root: LightXMLElement?

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document() -> LightXMLElement? {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // UTF-8 byte order mark
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "<") {
                    guard markup() else { return nil }
                } else {
                    let start = position
                    guard let text = text() else { return nil }
                    let blank = text.utf8.allSatisfy(Self.isSpace)
                    if let open = stack.last {
                        // Indentation before a child's start tag is not text anyone reads:
                        // skipping it saves most of the strings of a large document.
                        let beforeStartTag = blank && has("<") && !has("</") && position > start
                        if !beforeStartTag { open.textParts.append(text) }
                    } else if !blank {
                        return nil  // text outside the root element
                    }
                }
            }
            return stack.isEmpty ? root : nil
        }

        /// `<…>` at `position`: a tag, a declaration, a comment or CDATA.
        mutating func markup() -> Bool {
            if has("<?") { return skip(past: "?>") }
            if has("<!--") { return skip(past: "-->") }
            if has("<![CDATA[") {
                guard let open = stack.last else { return false }
                let start = position + 9
                guard skip(past: "]]>") else { return false }
                open.textParts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(position - 3)]), as: UTF8.self))
                return true
            }
            if has("<!") { return false }  // DOCTYPE, ENTITY: never in gluster's output
            if has("</") {
                position += 2
                guard let name = name(), let open = stack.popLast(), open.name == name else { return false }
                skipSpaces()
                return consume(UInt8(ascii: ">"))
            }
            position += 1
            guard let name = name() else { return false }
            let element = LightXMLElement(name: name)
            // Attributes are not used by gluster's XML: skip them, quotes respected.
            while position < bytes.count, bytes[position] != UInt8(ascii: ">"), bytes[position] != UInt8(ascii: "/") {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    position += 1
                    while position < bytes.count, bytes[position] != byte { position += 1 }
                    guard position < bytes.count else { return false }
                } else if byte == UInt8(ascii: "<") {
                    return false
                }
                position += 1
            }
            let selfClosing = consume(UInt8(ascii: "/"))
            guard consume(UInt8(ascii: ">")) else { return false }
            if let parent = stack.last {
                parent.children.append(element)
            } else {
                guard root == nil else { return false }  // a second root
                root = element
            }
            if !selfClosing {
                guard stack.count < LightXMLElement.maximumDepth else { return false }
                stack.append(element)
            }
            return true
        }

        /// A name: up to whitespace, `/`, `>`; no `<`, `&`, quotes or `=`.
        mutating func name() -> String? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if Self.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { break }
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                    || byte == UInt8(ascii: "=")
                {
                    return nil
                }
                position += 1
            }
            guard position > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }

        /// Character data up to the next `<`, with entity and character references decoded.
        mutating func text() -> String? {
            let first = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "<"), bytes[position] != UInt8(ascii: "&") { position += 1 }
            if position == bytes.count || bytes[position] == UInt8(ascii: "<") {
                // No reference: one String straight from the bytes.
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<position]), as: UTF8.self)
            }
            var decoded: [UInt8] = []
            var start = first
            while position < bytes.count, bytes[position] != UInt8(ascii: "<") {
                if bytes[position] == UInt8(ascii: "&") {
                    decoded.append(contentsOf: bytes[start..<position])
                    guard let reference = reference() else { return nil }
                    decoded.append(contentsOf: reference)
                    start = position
                } else {
                    position += 1
                }
            }
            decoded.append(contentsOf: bytes[start..<position])
            return String(decoding: decoded, as: UTF8.self)
        }

        /// `&name;` or `&#N;` / `&#xH;` at `position`, as UTF-8.
        mutating func reference() -> [UInt8]? {
            guard let end = (position..<min(bytes.count, position + 12)).first(where: { bytes[$0] == UInt8(ascii: ";") }) else { return nil }
            let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end]), as: UTF8.self)
            position = end + 1
            switch body {
            case "lt": return [UInt8(ascii: "<")]
            case "gt": return [UInt8(ascii: ">")]
            case "amp": return [UInt8(ascii: "&")]
            case "quot": return [UInt8(ascii: "\"")]
            case "apos": return [UInt8(ascii: "'")]
            default:
                let value: UInt32?
                if body.hasPrefix("#x") {
                    value = UInt32(body.dropFirst(2), radix: 16)
                } else if body.hasPrefix("#") {
                    value = UInt32(body.dropFirst(1), radix: 10)
                } else {
                    value = nil
                }
                guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
                return Array(String(Character(scalar)).utf8)
            }
        }

        func has(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            let start = literal.utf8Start
            for offset in 0..<count where bytes[position + offset] != start[offset] { return false }
            return true
        }

        /// Moves past the next `terminator`; false when there is none.
        mutating func skip(past terminator: StaticString) -> Bool {
            while position < bytes.count {
                if has(terminator) {
                    position += terminator.utf8CodeUnitCount
                    return true
                }
                position += 1
            }
            return false
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func skipSpaces() {
            while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        }

        static func isSpace(_ byte: UInt8) -> Bool { LightXMLElement.isSpace(byte) }
    }
}

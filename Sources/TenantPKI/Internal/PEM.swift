//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// One `-----BEGIN X----- … -----END X-----` block, located in a file's bytes.
struct PEMBlock {
    let label: String
    /// The whole block, BEGIN and END lines included.
    let bytes: ArraySlice<UInt8>
}

/// Strict PEM framing: a PEM file is PEM blocks separated by whitespace, nothing else.
/// Text before, between or after blocks is refused (it is how truncated or concatenated
/// junk hides), with the byte offset so the user can find it.
enum PEM {
    private static let begin = Array("-----BEGIN ".utf8)
    private static let dashes = Array("-----".utf8)

    /// Whether the bytes look like PEM at all (contain a BEGIN line).
    static func looksLikePEM(_ bytes: [UInt8]) -> Bool { find(begin, in: bytes, from: 0) != nil }

    static func blocks(in bytes: [UInt8], path: String) throws -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var position = 0
        while true {
            guard let start = find(begin, in: bytes, from: position) else {
                if let junk = firstNonWhitespace(bytes, from: position, to: bytes.count) {
                    throw PKIError(
                        .pemTrailingData, path: path,
                        reason: "unexpected data after the last PEM block, at byte \(junk) (line \(line(of: junk, in: bytes)))",
                        hint: "remove everything after the last -----END ...----- line")
                }
                return blocks
            }
            if let junk = firstNonWhitespace(bytes, from: position, to: start) {
                let code: PKIError.Code = blocks.isEmpty ? .pemLeadingData : .pemTrailingData
                throw PKIError(
                    code, path: path,
                    reason: "unexpected data \(blocks.isEmpty ? "before the first" : "between") PEM block(s), at byte \(junk) (line \(line(of: junk, in: bytes)))",
                    hint: "keep only the -----BEGIN ...----- / -----END ...----- blocks in the file")
            }
            let labelStart = start + begin.count
            guard let labelEnd = find(dashes, in: bytes, from: labelStart),
                bytes[labelStart..<labelEnd].allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
            else {
                throw malformed(path, "a -----BEGIN line is not terminated", at: start, in: bytes)
            }
            let label = String(decoding: bytes[labelStart..<labelEnd], as: UTF8.self)
            let endMarker = Array("-----END \(label)-----".utf8)
            guard let end = find(endMarker, in: bytes, from: labelEnd + dashes.count) else {
                throw malformed(path, "the \(label) block has no -----END \(label)----- line", at: start, in: bytes)
            }
            position = end + endMarker.count
            blocks.append(PEMBlock(label: label, bytes: bytes[start..<position]))
        }
    }

    private static func malformed(_ path: String, _ what: String, at offset: Int, in bytes: [UInt8]) -> PKIError {
        PKIError(
            .pemMalformed, path: path, reason: "\(what) (byte \(offset), line \(line(of: offset, in: bytes)))",
            hint: "the file looks truncated or edited: export the certificate again")
    }

    static func line(of offset: Int, in bytes: [UInt8]) -> Int { bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } }

    private static func firstNonWhitespace(_ bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        return bytes[from..<to].firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        var index = from
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

/// Text for a terminal: what volumes, certificates and registries hold reaches the screen
/// only as visible characters.
///
/// Option values come from glusterd unchecked (DEL and C1 controls such as U+009B pass
/// through gluster's XML), names from certificates and files: a control character could
/// move the cursor, rewrite what was printed, or hide a line. Every text line gshare prints
/// goes through ``escaped(_:)`` (in ``Invocation/emit(_:text:)`` and ``Console``), so no
/// renderer can forget it.
enum TerminalText {
    /// `text` with every character that is not printable shown as an escape: C0 controls
    /// (but the line breaks and tabs gshare's own layout uses), DEL, C1 controls, and the
    /// invisible format characters that reorder or hide text (U+200B–U+200F, U+202A–U+202E,
    /// U+2060–U+2069, U+FEFF…): `\x1B`, `\u{9B}`, `\u{202E}`.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += scalar.value < 0x80 ? "\\x" + hex(scalar.value, width: 2) : "\\u{" + hex(scalar.value, width: 1) + "}"
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false  // gshare's own line breaks and tabs
        case 0x00..<0x20, 0x7F, 0x80..<0xA0: return true
        default: return scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .lineSeparator
            || scalar.properties.generalCategory == .paragraphSeparator
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

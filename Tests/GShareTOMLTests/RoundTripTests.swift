//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import GShareTOML
import GShareTestSupport
import Testing

/// Property-style checks: random values, rendered as TOML by the test itself, parse back
/// to exactly themselves. Seeded, so a failure reproduces.
@Suite("Random values round-trip through rendered TOML")
struct RoundTripTests {
    /// Characters to draw from: ASCII printable (with `"` and `\` overrepresented), tab,
    /// control characters (which must be escaped), and non-ASCII from several planes.
    static func randomString(using random: inout SplitMix64) -> String {
        let specials: [Unicode.Scalar] = ["\"", "\\", "'", "\t", "#", "=", "[", "]", "{", "}", ",", " ", "\u{7F}", "\u{0}", "\u{1B}"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            let scalar: Unicode.Scalar
            switch Int.random(in: 0..<10, using: &random) {
            case 0...4: scalar = Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &random))
            case 5: scalar = specials.randomElement(using: &random)!
            case 6: scalar = Unicode.Scalar(UInt8.random(in: 0x00...0x1F, using: &random))
            case 7: scalar = Unicode.Scalar(UInt32.random(in: 0xA0...0x7FF, using: &random))!
            case 8: scalar = Unicode.Scalar(UInt32.random(in: 0x3040...0x9FFF, using: &random))!
            default: scalar = Unicode.Scalar(UInt32.random(in: 0x1F300...0x1FAFF, using: &random))!
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// `value` as a TOML basic string, escaped by this test (not by the code under test),
    /// picking at random among the equivalent spellings TOML allows.
    static func basicString(_ value: String, using random: inout SplitMix64) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            let style = Int.random(in: 0..<4, using: &random)
            switch scalar {
            case "\"": text += style == 0 ? "\\u0022" : "\\\""
            case "\\": text += style == 0 ? "\\U0000005C" : "\\\\"
            case "\u{8}": text += "\\b"
            case "\u{C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += style == 0 ? "\\t" : "\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                text += style == 0 ? "\\U" + hex(scalar.value, width: 8, using: &random) : "\\u" + hex(scalar.value, width: 4, using: &random)
            default:
                switch style {
                case 0 where scalar.value <= 0xFFFF: text += "\\u" + hex(scalar.value, width: 4, using: &random)
                case 1: text += "\\U" + hex(scalar.value, width: 8, using: &random)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }

    static func hex(_ value: UInt32, width: Int, using random: inout SplitMix64) -> String {
        let digits = String(value, radix: 16, uppercase: Bool.random(using: &random))
        return String(repeating: "0", count: width - digits.count) + digits
    }

    @Test func randomStringsRoundTripThroughBasicStringsAsValuesAndKeys() throws {
        var random = SplitMix64(seed: 20_260_601)
        for _ in 0..<1000 {
            let value = Self.randomString(using: &random)
            let literal = Self.basicString(value, using: &random)
            let table = try TOMLTable.parse("v = \(literal)  # comment\n\(literal) = [\(literal)]\n", source: "round-trip.toml")
            // Compare scalars: String == would also accept canonically equivalent spellings.
            let parsed = try #require(table["v"]?.stringValue, "\(literal)")
            #expect(Array(parsed.unicodeScalars) == Array(value.unicodeScalars), "\(literal)")
            if value != "v" {
                #expect(table.keys.map { Array($0.unicodeScalars) } == [Array("v".unicodeScalars), Array(value.unicodeScalars)], "\(literal)")
                #expect(table[value] == .array([.string(value)]))
            }
        }
    }

    @Test func randomStringsWithoutApostrophesOrControlsRoundTripThroughLiteralStrings() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let value = String(
                String.UnicodeScalarView(
                    Self.randomString(using: &random).unicodeScalars.filter {
                        $0 != "'" && ($0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F))
                    }))
            let table = try TOMLTable.parse("v = '\(value)'", source: "round-trip.toml")
            #expect(table["v"]?.stringValue.map { Array($0.unicodeScalars) } == Array(value.unicodeScalars), "'\(value)'")
        }
    }

    @Test func randomIntegersRoundTripInEveryBase() throws {
        var random = SplitMix64(seed: 42)
        func grouped(_ digits: String) -> String {
            // Random `_` separators, each between two digits.
            var text = ""
            for (offset, digit) in digits.enumerated() {
                if offset > 0, Int.random(in: 0..<4, using: &random) == 0 { text += "_" }
                text.append(digit)
            }
            return text
        }
        var values: [Int] = [0, 1, -1, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for _ in 0..<500 {
            let bits = Int.random(in: 1...62, using: &random)
            values.append(Int.random(in: -(1 << bits)...((1 << bits) - 1), using: &random))
        }
        for value in values {
            let decimal = (value < 0 ? "-" : Bool.random(using: &random) ? "+" : "") + grouped(String(value.magnitude))
            var lines = ["d = \(decimal)"]
            if value >= 0 {
                lines += [
                    "x = 0x" + grouped(String(value, radix: 16, uppercase: Bool.random(using: &random))),
                    "o = 0o" + grouped(String(value, radix: 8)), "b = 0b" + grouped(String(value, radix: 2)),
                ]
            }
            let table = try TOMLTable.parse(lines.joined(separator: "\n"), source: "round-trip.toml")
            for key in table.keys { #expect(table[key] == .integer(value), "\(lines)") }
            #expect(table.count == lines.count)
        }
    }
}

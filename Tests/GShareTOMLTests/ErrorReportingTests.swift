//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTOML
import GShareTestSupport
import Testing

@Suite("Errors name the source, position, problem and fix")
struct ErrorReportingTests {
    @Test func duplicateKeyIsRefusedWithBothLines() throws {
        let text = """
            # gshare.toml
            name = "lab"
            nodes = ["a"]
            days = 30

            # later, by mistake:
            nodes = ["b"]
            """
        let error = try #require(parseError(text, source: "gshare.toml"))
        #expect(error.code == .duplicateKey)
        #expect(error.line == 7 && error.column == 1 && error.relatedLine == 3)
        #expect(error.description == "gshare.toml:7:1: duplicate key \"nodes\" (first defined on line 3); remove one of them")
    }

    @Test func duplicateKeyColumnPointsAtTheKey() throws {
        let text = "a = 1\nb = 2\nc = 3\nnodes = 1\nd = 4\ne = 5\nx.y.nodes = 0\n"
        #expect(try TOMLTable.parse(text, source: "t")["x"] == ["y": ["nodes": 0]], "a nested key of the same name is another key")
        let error = try #require(parseError(text + "   nodes = 2\n", source: "gshare.toml"))
        #expect(error.description == "gshare.toml:8:4: duplicate key \"nodes\" (first defined on line 4); remove one of them")
    }

    @Test func unsupportedFeaturesNameTheFeature() throws {
        let cases: [(String, TOMLError.Code, String)] = [
            ("ratio = 0.5", .unsupportedFloat, "floats are not supported by gshare's TOML reader"),
            ("ratio = -1.5e3", .unsupportedFloat, "floats are not supported by gshare's TOML reader"),
            ("ratio = +inf", .unsupportedFloat, "floats are not supported by gshare's TOML reader"),
            ("at = 1979-05-27 07:32:00", .unsupportedDateTime, "dates and times are not supported by gshare's TOML reader"),
            ("at = 1979-05-27T07:32:00.999-07:00", .unsupportedDateTime, "dates and times are not supported by gshare's TOML reader"),
            ("s = \"\"\"x\"\"\"", .unsupportedMultilineString, "multi-line strings"),
            ("s = '''x'''", .unsupportedMultilineString, "multi-line strings"),
            ("[[nodes]]", .unsupportedArrayOfTables, "arrays of tables ([[name]]) are not supported by gshare's TOML reader"),
        ]
        for (line, code, phrase) in cases {
            let error = try #require(parseError("a = 1\n\n" + line + "\n", source: "gshare.toml"), "\(line)")
            #expect(error.code == code, "\(line): \(error)")
            #expect(error.line == 3, "\(line): \(error)")
            #expect(error.message.contains(phrase), "\(line): \(error)")
            #expect(error.description.hasPrefix("gshare.toml:3:"))
        }
    }

    @Test func integerEdgesAreExact() throws {
        let refused: [(String, TOMLError.Code)] = [
            ("9223372036854775808", .integerOverflow), ("-9223372036854775809", .integerOverflow),
            ("0x8000000000000000", .integerOverflow), ("0o1777777777777777777777", .integerOverflow),
            ("99999999999999999999999999", .integerOverflow), ("00", .invalidInteger), ("+01", .invalidInteger),
            ("0_1", .invalidInteger), ("_1", .invalidValue), ("1_", .invalidInteger), ("0x_1", .invalidInteger),
            ("0o8", .invalidInteger), ("+0x1", .invalidInteger), ("0b", .invalidInteger), ("1 000", .junkAfterValue),
            ("12abc", .invalidValue), ("-", .invalidValue), ("+", .invalidValue), ("--1", .invalidValue),
        ]
        for (literal, code) in refused {
            let error = try #require(parseError("n = \(literal)"), "\(literal) was accepted")
            #expect(error.code == code, "\(literal): \(error)")
            #expect(error.line == 1 && error.column == (code == .junkAfterValue ? 7 : 5), "\(literal): \(error)")
        }
    }

    @Test func errorsCompareByCodeOnly() {
        let first = TOMLError(.duplicateKey, source: "a.toml", line: 1, column: 1, message: "one")
        let second = TOMLError(.duplicateKey, source: "b.toml", line: 9, column: 3, message: "two")
        let other = TOMLError(.tableRedefined, source: "a.toml", line: 1, column: 1, message: "one")
        #expect(first == second)
        #expect(first != other)
        #expect(Set([first, second, other]).count == 2)
        #expect(TOMLError.Code.duplicateKey.rawValue == "duplicate-key")
        #expect(Set(TOMLError.Code.all.map(\.rawValue)).count == TOMLError.Code.all.count)
    }

    @Test func unreadableFileIsAnErrorNamingThePath() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("absent.toml").path
        let error = try #require(caughtError { _ = try TOMLTable.parse(fileAt: missing) })
        #expect(error.code == .fileUnreadable)
        #expect(error.source == missing && error.line == 0 && error.column == 0)
        #expect(error.description == "\(missing): cannot read the file: it does not exist; check the path")

        let folder = try #require(caughtError { _ = try TOMLTable.parse(fileAt: directory.path) })
        #expect(folder.code == .fileUnreadable)
        #expect(folder.description.hasPrefix("\(directory.path): ") && folder.message.contains("is a directory"))

        if getuid() != 0 {  // root reads anything
            let locked = directory.appendingPathComponent("locked.toml")
            try Data("a = 1\n".utf8).write(to: locked)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            let denied = try #require(caughtError { _ = try TOMLTable.parse(fileAt: locked.path) })
            #expect(denied.code == .fileUnreadable && denied.message.contains("permissions"))
        }
    }

    @Test func inputLargerThanOneMebibyteIsRefused() throws {
        let limit = TOMLTable.maximumInputSize
        #expect(limit == 1_048_576)
        // Exactly the limit: a comment filling the file is accepted.
        let atLimit = "a = 1\n#" + String(repeating: "x", count: limit - 8) + "\n"
        #expect(atLimit.utf8.count == limit)
        #expect(try TOMLTable.parse(atLimit, source: "big.toml") == ["a": 1])

        let tooLarge = atLimit + "\n"
        let error = try #require(parseError(tooLarge, source: "big.toml"))
        #expect(error.code == .inputTooLarge && error.line == 0)
        #expect(error.description.hasPrefix("big.toml: the input is 1048577 bytes, larger than the 1048576 bytes (1 MiB)"))

        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.toml")
        try Data(repeating: UInt8(ascii: "#"), count: limit * 3).write(to: file)
        let fromFile = try #require(caughtError { _ = try TOMLTable.parse(fileAt: file.path) })
        #expect(fromFile.code == .inputTooLarge && fromFile.source == file.path)
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let error = try #require(parseError("\"café→日本\" = \"ü\" x"))
        #expect(error.code == .junkAfterValue)
        #expect(error.column == 17)
        let invalid = try #require(parseError(utf8: Array("k = \"日本".utf8) + [0xFF, 0x22]))
        #expect(invalid.code == .invalidUTF8 && invalid.column == 8)
    }

    @Test func tablesAreDefinedOnlyOnce() throws {
        let cases: [(String, TOMLError.Code, Int)] = [
            ("[a]\n[a]", .tableRedefined, 2),
            ("[a.b]\n[a]\n[a]", .tableRedefined, 3),
            ("[a]\nb.c = 1\n[a.b]", .tableRedefined, 3),
            ("a.b = 1\n[a]", .tableRedefined, 2),
            ("[a.b.c]\n[a]\nb.c.d = 1", .tableRedefined, 3),
            ("a = {}\n[a]", .inlineTableExtended, 2),
            ("a = { b = {} }\na.b.c = 1", .inlineTableExtended, 2),
            ("a = { b = 1, b.c = 2 }", .keyIsValueAndTable, 1),
            ("a = [ { b = 1 } ]\n[a.c]", .keyIsValueAndTable, 2),
            ("[a]\nb = 1\n[a.b.c]", .keyIsValueAndTable, 3),
            ("[a.b]\n[a]\nb = 1", .keyIsValueAndTable, 3),
            ("a.b = 1\na = 2", .keyIsValueAndTable, 2),
        ]
        for (text, code, line) in cases {
            let error = try #require(parseError(text), "\(text) was accepted")
            #expect(error.code == code, "\(text): \(error)")
            #expect(error.line == line, "\(text): \(error)")
            #expect(error.relatedLine != nil, "\(text): \(error)")
        }
    }

    @Test func oneLineDocumentsNearTheSizeLimitGetExactPositions() throws {
        // ~1 MiB on one line, tens of thousands of keys, non-ASCII before each: positions
        // must stay exact (and cheap: a per-key scan of the line would be quadratic).
        var line = "x = ["
        var count = 0
        while line.utf8.count < TOMLTable.maximumInputSize - 200 {
            line += "{ \"é\" = { k\(count) = \"日本\" } }, "
            count += 1
        }
        let table = try TOMLTable.parse(line + "]", source: "wide.toml")
        let elements = try #require(table["x"]?.arrayValue)
        #expect(elements.count == count)
        let last = try #require(elements.last?.tableValue?["é"]?.tableValue)
        let prefix = line.unicodeScalars.count - "k\(count - 1) = \"日本\" } }, ".unicodeScalars.count
        #expect(last.position(of: "k\(count - 1)") == TOMLPosition(line: 1, column: prefix + 1))

        let error = try #require(parseError(line + "] é", source: "wide.toml"))
        #expect(error.code == .junkAfterValue)
        #expect(error.line == 1 && error.column == line.unicodeScalars.count + 3)
    }

    @Test func mutatedDocumentsNeverCrashAndErrorsPointIntoTheDocument() throws {
        let seed = Array(ValidDocumentTests.labProfile.utf8) + Array("x = { a = [1, 0x2, 'c', \"d\\u00e9\"], b.c = true }\n".utf8)
        let alphabet = Array("[]{}\"'=.,#\\ \t\n\r-_0x1e:éabc".utf8) + [0x00, 0x01, 0xFF, 0xC3]
        var random = SplitMix64(seed: 0x6753_6861_7265)
        var refused = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                default: bytes.remove(at: position)
                }
            }
            guard let error = parseError(utf8: bytes, source: "fuzz.toml") else { continue }
            refused += 1
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            #expect(error.line >= 1 && error.line <= lines, "\(error)")
            #expect(error.column >= 1, "\(error)")
            #expect(!error.message.isEmpty && error.description.hasPrefix("fuzz.toml:\(error.line):\(error.column): "))
        }
        #expect(refused > 1000, "the mutations should break most documents")
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareTOML
//===----------------------------------------------------------------------===//

/// The fuzz entry of the TOML reader, shared by the libFuzzer target (`Fuzz/toml`, built
/// by `scripts/fuzz`) and the corpus replay tests (`Tests/FuzzCorpusTests`), so both run
/// exactly the same code. Not API: `package`, and nothing in gshare calls it.
///
/// Bad input may only throw ``TOMLError``; a trap is a bug. Beyond that, the entry checks
/// what must hold of every document and every error, and returns each broken invariant as
/// a sentence (empty: all held). The fuzz target traps on a non-empty answer, the tests
/// record it.
package enum TOMLFuzzing {
    /// At most this many keys are rendered and parsed back per input (each costs a parse).
    static let renderedKeysChecked = 16

    /// Parses `bytes` as a document, reads every value back through ``TOMLTableReader``
    /// (with the right and a wrong type) and renders keys back to TOML.
    /// - Returns: the invariants that did not hold.
    package static func fuzzOne(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let lineCount = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let table: TOMLTable
        do throws(TOMLError) {
            table = try TOMLTable.parse(utf8: bytes, source: "fuzz.toml")
        } catch {
            check(error, lineCount: lineCount, &broken)
            return broken
        }
        var budget = renderedKeysChecked
        walk(table, path: [], lineCount: lineCount, budget: &budget, &broken)
        var reader = TOMLTableReader(table, source: "fuzz.toml")
        read(&reader, lineCount: lineCount, &broken)
        return broken
    }

    /// What every error must be: a known code, a message, a position inside the document
    /// (or none, for errors about the whole input).
    static func check(_ error: TOMLError, lineCount: Int, _ broken: inout [String]) {
        if !TOMLError.Code.all.contains(error.code) { broken.append("unknown error code \(error.code)") }
        if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        let wholeInput: [TOMLError.Code] = [.inputTooLarge, .fileUnreadable]
        if wholeInput.contains(error.code) {
            if error.line != 0 || error.column != 0 { broken.append("whole-input error \(error.code) at \(error.line):\(error.column)") }
        } else if !(1...lineCount).contains(error.line) || error.column < 1 {
            broken.append("error \(error.code) at \(error.line):\(error.column), outside a document of \(lineCount) lines")
        }
        if let related = error.relatedLine, !(1...lineCount).contains(related) {
            broken.append("error \(error.code) refers to line \(related) of \(lineCount)")
        }
    }

    /// Positions of every key, and keys rendered back to TOML (``KeyText``, which every
    /// message uses) parse to the same key path.
    private static func walk(_ table: TOMLTable, path: [String], lineCount: Int, budget: inout Int, _ broken: inout [String]) {
        for (key, value) in table.entries {
            let keyPath = path + [key]
            if let position = table.position(of: key) {
                if !(1...lineCount).contains(position.line) || position.column < 1 {
                    broken.append("key \(KeyText.render(path: keyPath)) at \(position), outside a document of \(lineCount) lines")
                }
            } else {
                broken.append("parsed key \(KeyText.render(path: keyPath)) has no position")
            }
            if budget > 0, keyPath.count <= TOMLTable.maximumNestingDepth {
                budget -= 1
                let line = KeyText.render(path: keyPath) + " = 1"
                do throws(TOMLError) {
                    let parsed = try TOMLTable.parse(line, source: "rendered.toml")
                    if lookUp(keyPath, in: parsed) != .integer(1) {
                        broken.append("the rendered key \(line) does not parse back to the path \(keyPath)")
                    }
                } catch {
                    broken.append("the rendered key \(line) does not parse: \(error)")
                }
            }
            if case .table(let child) = value { walk(child, path: keyPath, lineCount: lineCount, budget: &budget, &broken) }
            if case .array(let elements) = value {
                for case .table(let child) in elements { walk(child, path: keyPath, lineCount: lineCount, budget: &budget, &broken) }
            }
        }
    }

    private static func lookUp(_ path: [String], in table: TOMLTable) -> TOMLValue? {
        guard let first = path.first, let value = table[first] else { return nil }
        if path.count == 1 { return value }
        guard case .table(let child) = value else { return nil }
        return lookUp(Array(path.dropFirst()), in: child)
    }

    /// Reads every key with its own type (must not throw) and with another type (must throw
    /// wrong-type), then checks that the reader knows every key and none is unknown.
    private static func read(_ reader: inout TOMLTableReader, lineCount: Int, _ broken: inout [String]) {
        let keys = reader.table.keys
        let fresh = TOMLTableReader(reader.table, source: reader.source, path: reader.path)
        do throws(TOMLError) {
            try fresh.requireNoUnknownKeys()
            if !keys.isEmpty { broken.append("a reader that asked for nothing accepted the keys \(keys)") }
        } catch {
            if error.code != .unknownKey { broken.append("an unread key gave \(error.code), not unknown-key") }
            check(error, lineCount: lineCount, &broken)
        }
        for key in keys {
            guard let value = reader.table[key] else { continue }
            do throws(TOMLError) {
                switch value {
                case .string(let text):
                    if try reader.string(key) != text { broken.append("string(\(key)) differs from the table") }
                    expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.integer(key) }
                case .integer(let number):
                    if try reader.integer(key) != number { broken.append("integer(\(key)) differs from the table") }
                    expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.boolean(key) }
                case .boolean(let flag):
                    if try reader.boolean(key) != flag { broken.append("boolean(\(key)) differs from the table") }
                    expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.string(key) }
                case .array(let elements):
                    if elements.allSatisfy({ $0.stringValue != nil }) {
                        if try reader.strings(key) != elements.compactMap(\.stringValue) {
                            broken.append("strings(\(key)) differs from the table")
                        }
                    } else {
                        expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.strings(key) }
                    }
                    expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.table(key) }
                case .table:
                    guard var child = try reader.table(key) else {
                        broken.append("table(\(key)) is nil for a table")
                        continue
                    }
                    read(&child, lineCount: lineCount, &broken)
                    expectWrongType(&broken, lineCount) { () throws(TOMLError) in _ = try reader.strings(key) }
                }
            } catch {
                broken.append("reading \(key) with its own type threw \(error.code): \(error)")
            }
        }
        if reader.knownKeys != keys { broken.append("the reader knows \(reader.knownKeys), the table has \(keys)") }
        do throws(TOMLError) {
            try reader.requireNoUnknownKeys()
        } catch {
            broken.append("every key was read, yet \(error.code): \(error)")
        }
    }

    private static func expectWrongType(
        _ broken: inout [String], _ lineCount: Int, _ body: () throws(TOMLError) -> Void
    ) {
        do throws(TOMLError) {
            try body()
            broken.append("reading a value with another type did not throw")
        } catch {
            if error.code != .wrongType { broken.append("reading a value with another type threw \(error.code), not wrong-type") }
            check(error, lineCount: lineCount, &broken)
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation

/// `--json`, shared by every command that reports.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON document on stdout (stable field names, for scripts) instead of text.")
    var json = false
}

/// Exit statuses shared by the commands (documented in each command's help).
enum ExitStatus {
    /// Everything judged is fine.
    static let success = ExitCode(0)
    /// Something judged is not fine (reasons printed).
    static let rejected = ExitCode(1)
    /// The command could not run: a missing or unreadable file, not a certificate.
    static let couldNotRun = ExitCode(2)
}

enum Console {
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `gshare: error: …` on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("gshare: error: \(message)\n".utf8))
    }
}

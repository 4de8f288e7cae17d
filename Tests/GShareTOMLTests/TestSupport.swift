//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTOML
import GShareTestSupport
import Testing

/// The error parsing `text` throws, or nil when it parses.
func parseError(_ text: String, source: String = "test.toml") -> TOMLError? {
    do throws(TOMLError) {
        _ = try TOMLTable.parse(text, source: source)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `bytes` throws, or nil when they parse.
func parseError(utf8 bytes: [UInt8], source: String = "test.toml") -> TOMLError? {
    do throws(TOMLError) {
        _ = try TOMLTable.parse(utf8: bytes, source: source)
        return nil
    } catch {
        return error
    }
}

/// The ``TOMLError`` `body` throws, or nil when it throws nothing (any other error is
/// recorded as a test failure).
func caughtError(_ body: () throws -> Void) -> TOMLError? {
    do {
        try body()
        return nil
    } catch let error as TOMLError {
        return error
    } catch {
        Issue.record("expected a TOMLError, got \(error)")
        return nil
    }
}

/// The hostile-input corpus, `fixtures/toml/`, described by its `cases.json`.
enum HostileCorpus {
    /// One refused input: the file, and the error it must give.
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let code: String
        let line: Int
        let column: Int
        let phrase: String
        var description: String { file }
    }

    private struct Manifest: Decodable {
        let cases: [Case]
    }

    static let directory = repositoryRoot.appendingPathComponent("fixtures/toml")

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    static func load() throws -> [Case] {
        let data = try Data(contentsOf: directory.appendingPathComponent("cases.json"))
        return try JSONDecoder().decode(Manifest.self, from: data).cases
    }

    /// The cases, or none when the manifest cannot be read (``load()`` is tested on its own,
    /// so an unreadable manifest fails a test instead of passing vacuously).
    static let cases: [Case] = (try? load()) ?? []
}

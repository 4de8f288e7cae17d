//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterDriver
import Testing

/// The ``GShareConfigError`` `body` throws, or nil when it throws nothing (any other error
/// is recorded as a test failure).
func configError<T>(_ body: () throws -> T) -> GShareConfigError? {
    do {
        _ = try body()
        return nil
    } catch let error as GShareConfigError {
        return error
    } catch {
        Issue.record("expected a GShareConfigError, got \(error)")
        return nil
    }
}

/// Parses `text` as a configuration in `/etc/gshare/gshare.toml`, with a fixed environment.
func parseConfig(_ text: String, environment: [String: String] = ["HOME": "/home/op"]) throws(GShareConfigError) -> GShareConfig {
    try GShareConfig.parse(text, source: "/etc/gshare/gshare.toml", environment: environment)
}

/// The smallest valid configuration, with `extra` lines after it.
func minimalConfig(_ extra: String = "") -> String {
    """
    glusterfs_targets = ["root@gluster1:/share-1"]
    system_cns = ["gluster1", "gshare-manager"]
    \(extra)
    """
}

/// The hostile configuration corpus, `fixtures/config/`, described by its `cases.json`.
enum ConfigCorpus {
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let code: String
        let line: Int
        let phrase: String
        let key: String?
        var description: String { file }
    }

    private struct Manifest: Decodable {
        let cases: [Case]
    }

    static let directory = repositoryRoot.appendingPathComponent("fixtures/config")

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    static func load() throws -> [Case] {
        let data = try Data(contentsOf: directory.appendingPathComponent("cases.json"))
        return try JSONDecoder().decode(Manifest.self, from: data).cases
    }

    /// The cases, or none when the manifest cannot be read (``load()`` is tested on its own).
    static let cases: [Case] = (try? load()) ?? []
}

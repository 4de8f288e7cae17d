//===----------------------------------------------------------------------===//
// gshare — fuzz corpus tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import GShareTOML
import GShareTestSupport
import GlusterDriver
import GlusterFSAPI
import TenantPKI

/// One libFuzzer target (`Fuzz/<name>/main.swift`, built by `scripts/fuzz`): its checked-in
/// corpus, `fixtures/fuzz/<name>/` (seeds/, the minimised finds, crashes/), and the entry
/// function the target calls, which the tests call with the same bytes.
struct FuzzTarget: Sendable, CustomStringConvertible {
    let name: String
    /// The module's fuzz entry: the invariants an input broke (empty: none).
    let entry: @Sendable ([UInt8]) -> [String]

    var description: String { name }

    /// Every target, in `scripts/fuzz list` order.
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "toml", entry: TOMLFuzzing.fuzzOne),
        FuzzTarget(name: "config", entry: DriverFuzzing.config),
        FuzzTarget(name: "gluster-address", entry: DriverFuzzing.address),
        FuzzTarget(name: "gluster-xml", entry: DriverFuzzing.glusterXML),
        FuzzTarget(name: "allow-list", entry: DriverFuzzing.allowList),
        FuzzTarget(name: "known-hosts", entry: SSHFuzzing.knownHosts),
        FuzzTarget(name: "shell-quoting", entry: SSHFuzzing.shellQuoting),
        FuzzTarget(name: "worker-protocol", entry: WorkerProtocolFuzzing.fuzzOne),
        FuzzTarget(name: "pem", entry: PKIFuzzing.pem),
        FuzzTarget(name: "certificate", entry: PKIFuzzing.certificate),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static let fuzzFolder = repositoryRoot.appendingPathComponent("Fuzz")
    static let corpusFolder = repositoryRoot.appendingPathComponent("fixtures/fuzz")

    var corpus: URL { Self.corpusFolder.appendingPathComponent(name) }

    /// Every input of the corpus, seeds and crash reproducers included (as libFuzzer reads a
    /// corpus folder: recursively), sorted by path.
    func corpusFiles() throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var files: [URL] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// A crash reproducer kept as a regression fixture.
    func crash(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus.appendingPathComponent("crashes").appendingPathComponent(file)))
    }

    /// The path of an input relative to `fixtures/fuzz/`, for messages.
    static func shortPath(_ url: URL) -> String {
        String(url.path.dropFirst(corpusFolder.path.count + 1))
    }
}

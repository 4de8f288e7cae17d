//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization
import Testing

@testable import GlusterDriver

/// A runner that answers with recorded gluster outputs (fixtures/gluster): each call must be
/// exactly the argv a fixture case was recorded with (after the `gluster --mode=script --xml`
/// that ``LocalGlusterRunner`` adds), and gets that case's stdout, stderr and exit status.
/// Any other argv is a test failure. Every call is remembered, in order.
final class ReplayingGlusterRunner: GlusterCommandRunner {
    struct UnexpectedCall: Error, CustomStringConvertible {
        let arguments: [String]
        var description: String { "no recorded case for gluster \(arguments.joined(separator: " "))" }
    }

    private let answers: [[String]: GlusterCommandOutput]
    private let received = Mutex<[[String]]>([])

    /// The arguments of every call, in order.
    var calls: [[String]] { received.withLock { $0 } }

    /// A runner answering the recorded cases `files` (file names in manifest.json).
    init(_ files: String...) throws {
        var answers: [[String]: GlusterCommandOutput] = [:]
        for file in files {
            let recorded = try Self.recordedCase(file)
            let prefix = ["gluster"] + LocalGlusterRunner.fixedOptions
            try #require(
                Array(recorded.argv.prefix(prefix.count)) == prefix, "\(file) was not recorded as gluster \(prefix.dropFirst().joined(separator: " ")) …")
            answers[Array(recorded.argv.dropFirst(prefix.count))] = try VolumeInfoParsingTests.output(file)
        }
        self.answers = answers
    }

    /// The manifest entry of one fixture case.
    static func recordedCase(_ file: String) throws -> VolumeInfoParsingTests.Manifest.Case {
        let manifest = try JSONDecoder().decode(
            VolumeInfoParsingTests.Manifest.self,
            from: Data(contentsOf: VolumeInfoParsingTests.folder.appendingPathComponent("manifest.json")))
        return try #require(manifest.cases.first { $0.file == file }, "\(file) is not in fixtures/gluster/manifest.json")
    }

    func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        received.withLock { $0.append(arguments) }
        guard let output = answers[arguments] else {
            Issue.record("unexpected gluster call: \(arguments)")
            throw UnexpectedCall(arguments: arguments)
        }
        return output
    }
}

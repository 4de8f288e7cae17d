//===----------------------------------------------------------------------===//
// gshare — fuzz corpus tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import GShareTestSupport
import Testing

@testable import GlusterDriver

/// CI's share of the fuzzing (no sanitizer build in CI): every checked-in corpus input
/// goes through the same entry function its libFuzzer target calls, and must come back
/// without a trap and with every invariant held.
@Suite("Fuzz corpora replayed")
struct CorpusReplayTests {
    @Test("every input of the corpus passes its target's checks", arguments: FuzzTarget.all)
    func everyInputPasses(_ target: FuzzTarget) throws {
        let files = try target.corpusFiles()
        #expect(!files.isEmpty, "fixtures/fuzz/\(target.name) holds no input")
        for file in files {
            let broken = target.entry([UInt8](try Data(contentsOf: file)))
            #expect(broken.isEmpty, "\(FuzzTarget.shortPath(file)): \(broken.joined(separator: "; "))")
        }
    }

    /// The gluster-xml target's other seeds, the outputs recorded from the 3-node cluster lab
    /// (fixtures/gluster-cluster: `pool list`, `volume info all`, `volume status all`; and
    /// fixtures/gluster-quota: `volume quota`), pass its checks too.
    @Test(arguments: ["gluster-cluster", "gluster-quota"])
    func theRecordedClusterAndQuotaOutputsPassTheGlusterXMLChecks(_ name: String) throws {
        let folder = FuzzTarget.corpusFolder.deletingLastPathComponent().appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xml") }
        #expect(files.count >= 4, "\(files)")
        for file in files {
            let broken = DriverFuzzing.glusterXML([UInt8](try Data(contentsOf: folder.appendingPathComponent(file))))
            #expect(broken.isEmpty, "fixtures/\(name)/\(file): \(broken.joined(separator: "; "))")
        }
    }

    /// Fuzz/ (what scripts/fuzz builds), fixtures/fuzz/ (the corpora) and this table name
    /// the same targets: a target without a corpus, or a corpus nobody replays, fails here.
    @Test func targetsCorporaAndThisTableAgree() throws {
        let manager = FileManager.default
        let built = try manager.contentsOfDirectory(atPath: FuzzTarget.fuzzFolder.path)
            .filter { manager.fileExists(atPath: FuzzTarget.fuzzFolder.appendingPathComponent("\($0)/main.swift").path) }
        let corpora = try manager.contentsOfDirectory(atPath: FuzzTarget.corpusFolder.path).filter { name in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: FuzzTarget.corpusFolder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        let replayed = FuzzTarget.all.map(\.name)
        #expect(Set(built) == Set(replayed))
        #expect(Set(corpora) == Set(replayed))
    }

    /// The shell-quoting corpus, quoted by ``ShellQuoting`` and read back by real shells:
    /// `printf '%s\0'` prints exactly the bytes of every argument (the fuzz target checks the
    /// same with a model of the shell, which is fast enough for libFuzzer).
    @Test(.timeLimit(.minutes(1)), arguments: ShellRoundTrip.shells)
    func theShellQuotingCorpusSurvivesARealShell(_ shell: String) async throws {
        let target = try #require(FuzzTarget.named("shell-quoting"))
        var arguments: [String] = []
        for file in try target.corpusFiles() {
            let bytes = [UInt8](try Data(contentsOf: file))
            for piece in bytes.split(separator: 0xFF, omittingEmptySubsequences: false) where !piece.contains(0) {
                arguments.append(String(decoding: piece, as: UTF8.self))
            }
        }
        #expect(arguments.count > 50)
        try await ShellRoundTrip.expectUnchanged(arguments, through: shell)
    }
}

/// Arguments through a real shell: `SHELL -c "'printf' '%s\0' 'arg1' …"`.
enum ShellRoundTrip {
    /// The POSIX shells of this machine an SSH server may start (Debian: dash as /bin/sh,
    /// and bash, the usual login shell).
    static let shells = ["/bin/sh", "/bin/bash"].filter { FileManager.default.isExecutableFile(atPath: $0) }

    /// Quotes `arguments` with ``ShellQuoting/commandLine(_:)``, runs them through `shell`
    /// in batches (a command line is one argument to the shell, at most 128 KiB on Linux)
    /// and expects every argument back byte for byte.
    static func expectUnchanged(_ arguments: [String], through shell: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        var batch: [String] = []
        var size = 0
        for (index, argument) in arguments.enumerated() {
            batch.append(argument)
            size += argument.utf8.count * 4 + 3
            guard size > 60_000 || index == arguments.count - 1 else { continue }
            let line = try ShellQuoting.commandLine(["printf", "%s\\0"] + batch)
            let result = try await runProcess(shell, ["-c", line])
            #expect(result.status == 0, "\(shell): \(result.stderr)", sourceLocation: sourceLocation)
            var printed = Array(result.stdout.utf8).split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
            if printed.last == [] { printed.removeLast() }
            let expected = batch.map { Array($0.utf8) }
            #expect(printed.count == expected.count, "\(shell) printed \(printed.count) arguments of \(expected.count)", sourceLocation: sourceLocation)
            for (given, back) in zip(expected, printed) where given != back {
                Issue.record(
                    "\(shell) turned \(String(reflecting: String(decoding: given, as: UTF8.self))) into \(String(reflecting: String(decoding: back, as: UTF8.self)))",
                    sourceLocation: sourceLocation)
            }
            batch.removeAll()
            size = 0
        }
    }
}

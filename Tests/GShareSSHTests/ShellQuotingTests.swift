//===----------------------------------------------------------------------===//
// gshare — GShareSSH tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import GShareTestSupport
import Testing

/// Arguments reach the remote program exactly as given, whatever they contain.
@Suite("Shell quoting of remote command arguments")
struct ShellQuotingTests {
    static let hostile = [
        "plain", "two words", "it's", "''", "'", "\"double\"", "a;b", "a && b", "a | b", "> /tmp/x", "$(id)", "`id`", "${HOME}",
        "$HOME", "line1\nline2", "\n", "tab\there", "*", "?", "[a-z]", "~", "~root", "-n", "--help", "-", "", " ", "#comment", "!",
        "\\", "\\'", "back\\slash", "ünïcødé", "🚀 rocket", "日本語", "a=b", "%s", "\\0", "\u{7f}", "\u{1}",
    ]

    @Test
    func quotesAreSingleQuotesWithEmbeddedQuotesEscaped() throws {
        #expect(try ShellQuoting.quote("abc") == "'abc'")
        #expect(try ShellQuoting.quote("") == "''")
        #expect(try ShellQuoting.quote("it's") == "'it'\\''s'")
        #expect(try ShellQuoting.quote("'") == "''\\'''")
        #expect(try ShellQuoting.quote("$(id) `id` ; *") == "'$(id) `id` ; *'")
        #expect(try ShellQuoting.quote("-n") == "'-n'")
        #expect(try ShellQuoting.quote("a\nb") == "'a\nb'")
        #expect(try ShellQuoting.quote("ünï 🚀") == "'ünï 🚀'")
        #expect(try ShellQuoting.commandLine(["printf", "%s\\0", "a b", ""]) == "'printf' '%s\\0' 'a b' ''")
    }

    @Test
    func aNULByteIsRejected() throws {
        #expect(throws: SSHError.self) { try ShellQuoting.quote("a\0b") }
        do {
            _ = try ShellQuoting.commandLine(["echo", "ok", "bad\0"])
            Issue.record("NUL accepted")
        } catch let error as SSHError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("NUL"))
        }
        #expect(throws: SSHError.self) { try ShellQuoting.commandLine([]) }
    }

    /// Every quoted argument, unquoted by a real POSIX shell, gives back the same bytes.
    @Test
    func theLocalShellUnquotesToTheSameBytes() async throws {
        let line = try ShellQuoting.commandLine(["printf", "%s\\0"] + Self.hostile)
        let result = try await runProcess("/bin/sh", ["-c", line])
        #expect(result.status == 0)
        #expect(split(Data(result.stdout.utf8)) == Self.hostile)
    }

    @Test(.timeLimit(.minutes(1)))
    func theRemoteSideReceivesExactlyTheSameArguments() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let result = try await connection.run(["printf", "%s\\0"] + Self.hostile)
        #expect(result.exitStatus == 0, "\(result.stderr)")
        #expect(result.standardError.isEmpty)
        #expect(split(result.standardOutput) == Self.hostile)
        // One argument at a time too (an empty argument alone, a leading dash alone…).
        for argument in ["", "-n", "*", "$(touch /tmp/gshare-pwned)", "'"] {
            let single = try await connection.run(["printf", "%s\\0", argument])
            #expect(split(single.standardOutput) == [argument])
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/gshare-pwned"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aNULArgumentIsRejectedBeforeAnythingIsSent() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect()
        defer { connection.close() }
        let error = await expectSSHError(.invalidArgument) { _ = try await connection.run(["echo", "a\0b"]) }
        #expect(error?.host == connection.endpoint.description)
        #expect(try await connection.run(["echo", "still usable"]).stdout == "still usable\n")
    }

    private func split(_ data: Data) -> [String] {
        var parts = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

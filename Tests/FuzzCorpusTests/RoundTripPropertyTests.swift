//===----------------------------------------------------------------------===//
// gshare — fuzz corpus tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
@testable import GShareTOML
import GShareTestSupport
@testable import GlusterDriver
import Testing

/// Property tests of the round trips the fuzz targets check, on generated inputs with fixed
/// seeds (the same cases every run): the allow list's render/parse, the quoting function
/// through real shells, the servers' and targets' text forms, and keys as messages write them.
@Suite("Round trips (seeded property tests)")
struct RoundTripPropertyTests {
    /// Pieces of auth.ssl-allow values: names, wildcards, whitespace that does not separate,
    /// non-ASCII, and the two separators.
    static let allowPieces = [
        "tenant-a", "gluster-node-1", "gshare-manager", "a", "*", "?", "[ab]", "\t", "\n", "ü", "日本", ".", "@", "_", "-", "a.b@c",
    ]

    @Test("allow lists: split like strtok_r(\" ,\"), rendered and read back to the same entries")
    func allowListsRoundTrip() {
        var random = SplitMix64(seed: 0x616c_6c6f_77)
        for _ in 0..<2_000 {
            var tokens: [String] = []
            var value = ""
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                value += String(repeating: [" ", ",", " , ", ",,"].randomElement(using: &random)!, count: Int.random(in: 0...2, using: &random))
                let token = (0..<Int.random(in: 1...3, using: &random)).map { _ in Self.allowPieces.randomElement(using: &random)! }.joined()
                value += token
                tokens.append(token)
            }
            // Pieces glued without a separator between them are one token.
            let expected = DriverFuzzing.strtokTokens(value)
            let list = SSLAllowList(optionValue: value)
            #expect(list.entries == expected, "\(String(reflecting: value))")
            #expect(expected.joined() == tokens.joined(), "\(String(reflecting: value)): a token was lost or split")
            let again = SSLAllowList(optionValue: list.rendered)
            #expect(again.entries == list.uniqueEntries, "\(String(reflecting: value)) rendered as \(String(reflecting: list.rendered))")
            #expect(again.rendered == list.rendered)
            #expect(DriverFuzzing.allowList(Array(value.utf8)).isEmpty, "\(String(reflecting: value))")
        }
    }

    /// Characters a shell gives a meaning to, whitespace, control characters (no NUL: no
    /// argument can hold one), and multi-byte UTF-8.
    static let shellAlphabet: [Unicode.Scalar] =
        Array("'\"\\$`;&|<>(){}[]*?!~#%^=, \t\n\r-abcXYZ019".unicodeScalars) + ["\u{1}", "\u{7F}", "\u{1B}", "é", "€", "🚀", "\u{301}"]

    static func randomArgument(using random: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...24, using: &random) {
            text.unicodeScalars.append(shellAlphabet.randomElement(using: &random)!)
        }
        return text
    }

    @Test(
        "shell quoting: random hostile arguments come back from a real shell byte for byte", .timeLimit(.minutes(1)),
        arguments: ShellRoundTrip.shells)
    func quotedArgumentsSurviveARealShell(_ shell: String) async throws {
        var random = SplitMix64(seed: 0x7368_656c_6c)
        let arguments = (0..<3_000).map { _ in Self.randomArgument(using: &random) }
        for argument in arguments {
            #expect(SSHFuzzing.shellQuoting(Array(argument.utf8)).isEmpty, "\(String(reflecting: argument))")
        }
        try await ShellRoundTrip.expectUnchanged(arguments, through: shell)
    }

    @Test("servers and targets: the text form reads back to the same value")
    func serversAndTargetsRoundTrip() throws {
        var random = SplitMix64(seed: 0x7365_7276)
        let users: [String?] = [nil, "root", "gshare-ssh", "a.b_c-d", "u1"]
        let hosts = ["gluster1", "Gluster1.Example", "10.0.0.5", "127.0.0.2", "::1", "fe80::1", "FD00::2", "::ffff:1.2.3.4", "a-b.c-d.e"]
        let volumes = ["v", "gshare-pool-01-1G", "manila_share_7", "Vol-1", String(repeating: "x", count: 64)]
        for _ in 0..<1_000 {
            let user = users.randomElement(using: &random)!
            let host = hosts.randomElement(using: &random)!
            let port = user != nil && Bool.random(using: &random) ? Int.random(in: 1...65535, using: &random) : nil
            let written = (user.map { "\($0)@" } ?? "") + (host.contains(":") ? "[\(host)]" : host) + (port.map { ":\($0)" } ?? "")
            let server = try GlusterServer(parsing: written)
            #expect(server == GlusterServer(user: user, host: host.lowercased(), port: port), "\(written)")
            #expect(try GlusterServer(parsing: server.description) == server)
            let target = try GlusterTarget(parsing: written + ":/" + volumes.randomElement(using: &random)!)
            #expect(try GlusterTarget(parsing: target.description) == target)
            #expect(DriverFuzzing.address(Array(target.description.utf8)).isEmpty, "\(target)")
        }
    }

    @Test("keys: what messages write (KeyText.render) parses back to the same key")
    func renderedKeysParseBack() throws {
        var random = SplitMix64(seed: 0x6b65_7973)
        let alphabet: [Unicode.Scalar] = Array("abcXYZ019_-. \t\"'\\#=[]{},".unicodeScalars) + ["\u{0}", "\u{1F}", "\u{7F}", "é", "\u{FEFF}", "🚀"]
        for _ in 0..<2_000 {
            var path: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                var key = ""
                for _ in 0..<Int.random(in: 0...10, using: &random) { key.unicodeScalars.append(alphabet.randomElement(using: &random)!) }
                path.append(key)
            }
            let line = KeyText.render(path: path) + " = 1"
            let table = try TOMLTable.parse(line, source: "key.toml")
            var value: TOMLValue? = .table(table)
            for key in path { value = value?.tableValue?[key] }
            #expect(value == .integer(1), "\(path) rendered as \(line)")
        }
    }
}

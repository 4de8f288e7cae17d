//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import ArgumentParser
import Testing

@testable import gshare

@Suite("Command-line parsing, in process")
struct CommandParsingTests {
    @Test func verifyParsesEveryOption() throws {
        let command = try GShare.parseAsRoot([
            "cert", "verify", "a.pem", "b.pem", "--ca", "root.pem", "--untrusted", "int.pem", "--crl", "r.crl",
            "--crl", "i.crl", "--depth", "2", "--at", "2026-06-01T00:00:00Z", "--json",
        ])
        let verify = try #require(command as? GShare.Cert.Verify)
        #expect(verify.leaves == ["a.pem", "b.pem"])
        #expect(verify.ca == "root.pem")
        #expect(verify.untrusted == ["int.pem"])
        #expect(verify.crl == ["r.crl", "i.crl"])
        #expect(verify.depth == 2)
        #expect(verify.at == "2026-06-01T00:00:00Z")
        #expect(verify.output.json)
        #expect(verify.key == nil)
    }

    @Test func verifyDefaultsToGlusterFSDepthOne() throws {
        let verify = try #require(try GShare.parseAsRoot(["cert", "verify", "a.pem", "--ca", "r.pem"]) as? GShare.Cert.Verify)
        #expect(verify.depth == 1)
        #expect(!verify.output.json)
    }

    @Test func verifyNeedsACA() {
        #expect(throws: (any Error).self) { try GShare.parseAsRoot(["cert", "verify", "a.pem"]) }
    }

    @Test func verifyRefusesAKeyWithSeveralLeaves() {
        #expect {
            try GShare.parseAsRoot(["cert", "verify", "a.pem", "b.pem", "--ca", "r.pem", "--key", "a.key"])
        } throws: { error in
            GShare.message(for: error).contains("give exactly one LEAF")
        }
    }

    @Test func verifyRefusesAnAbsurdDepth() {
        #expect {
            try GShare.parseAsRoot(["cert", "verify", "a.pem", "--ca", "r.pem", "--depth", "99"])
        } throws: { error in
            GShare.message(for: error).contains("--depth must be between 0 and 32")
        }
    }

    @Test func verifyTakesAListOfFilesInsteadOfArguments() throws {
        let verify = try #require(
            try GShare.parseAsRoot(["cert", "verify", "--leaves-from", "-", "--ca", "r.pem"]) as? GShare.Cert.Verify)
        #expect(verify.leaves.isEmpty && verify.leavesFrom == "-")
    }

    @Test func verifyNeedsSomethingToVerify() {
        #expect {
            try GShare.parseAsRoot(["cert", "verify", "--ca", "r.pem"])
        } throws: { error in
            GShare.message(for: error).contains("give at least one LEAF")
        }
    }

    @Test func inspectTakesSeveralFiles() throws {
        let inspect = try #require(try GShare.parseAsRoot(["cert", "inspect", "a.pem", "b.der", "--json"]) as? GShare.Cert.Inspect)
        #expect(inspect.files == ["a.pem", "b.der"])
        #expect(inspect.output.json)
    }

    @Test func helpExplainsTheTwoLayersAndExitCodes() {
        let help = GShare.helpMessage(for: GShare.Cert.Verify.self)
        #expect(help.contains("GlusterFS"))
        #expect(help.contains("tenant policy"))
        #expect(help.contains("Exit status: 0"))
    }
}

@Suite("TerminalText: nothing a volume or a file holds reaches the terminal raw")
struct TerminalTextTests {
    @Test func controlAndFormatCharactersAreEscapedAndGsharesOwnLayoutIsKept() {
        #expect(TerminalText.escaped("a\u{1B}[31mb") == "a\\x1B[31mb")
        #expect(TerminalText.escaped("del\u{7F} csi\u{9B} rlo\u{202E} bom\u{FEFF} nul\u{0}") == "del\\x7F csi\\u{9B} rlo\\u{202E} bom\\u{FEFF} nul\\x00")
        #expect(TerminalText.escaped("line one\n\tline two ✗ → — é 名前") == "line one\n\tline two ✗ → — é 名前")
        #expect(TerminalText.escaped("cr\rcr") == "cr\\x0Dcr")
    }
}

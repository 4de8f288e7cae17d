//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareWorkflows
import GlusterDriver
import Logging

/// Exit statuses shared by the commands (documented in each command's help).
enum ExitStatus {
    /// Everything judged is fine.
    static let success = ExitCode(0)
    /// Something judged is not fine, or the request was refused (reasons printed).
    static let rejected = ExitCode(1)
    /// The command could not run: a missing or unreadable file, a server, the registry.
    static let couldNotRun = ExitCode(2)

    /// THE mapping from how a workflow ended to the exit status.
    static func of(_ verdict: Verdict) -> ExitCode {
        switch verdict {
        case .ok: success
        case .refused: rejected
        case .failed: couldNotRun
        case .unknown: outcomeUnknown
        }
    }

    // Outcome-specific statuses: a finer status than the verdict's, for one finding that a
    // script must be able to tell apart. Each is used by ONE command, mapped here, and
    // documented in that command's help and in README.md.

    /// `access test`: the volume admits anyone, in plain text without a certificate (TLS
    /// off), so the certificate tested was never checked. (Its verdict is `refused`: 1.)
    /// 4, not 3: 3 is kept for "outcome unknown", which any change may one day report.
    static let admitsAnyone = ExitCode(4)

    /// Any change: sent, but whether it took effect is not known (a GlusterFS node hung while
    /// it was in flight); the message names the command that tells, and the same command
    /// run again converges.
    static let outcomeUnknown = ExitCode(3)

    /// THE mapping for `access test`: ``admitsAnyone`` when the volume lets anyone in,
    /// else the status of the probe's verdict.
    static func of(_ probe: AccessProbe) -> ExitCode {
        probe.admitsAnyone ? admitsAnyone : of(probe.verdict)
    }
}

/// One run of a command: the workflow context (who, the command line, the logger, the
/// progress line) and how results and errors are printed.
struct Invocation {
    let output: OutputOptions
    let context: WorkflowContext

    init(_ output: OutputOptions) {
        self.output = output
        self.context = WorkflowContext(
            principal: .currentProcess(), request: ["gshare"] + CommandLine.arguments.dropFirst(), logger: output.logger(),
            progress: Console.standardErrorIsTerminal ? TerminalProgress() : SilentProgress())
    }

    /// The workflows over the configuration `options` finds.
    func workflows(_ options: ConfigOptions) throws -> Workflows {
        Workflows(config: try ConfigurationWorkflow.load(options.source).config, context: context)
    }

    /// Prints `document` with `--json`, else `text()` (when not empty).
    func emit(_ document: some Encodable, text: () -> String) throws {
        if output.json {
            try Console.printJSON(document)
        } else {
            let rendered = text()
            if !rendered.isEmpty { print(TerminalText.escaped(rendered)) }
        }
    }

    /// Ends the command with the exit status of `verdict` (nothing more is printed).
    func finish(_ verdict: Verdict) throws {
        try finish(ExitStatus.of(verdict))
    }

    /// Ends the command with `status`, one of ``ExitStatus`` (nothing more is printed).
    func finish(_ status: ExitCode) throws {
        guard status == ExitStatus.success else { throw status }
    }
}

enum CLI {
    /// Runs a command's body with its ``Invocation``. Any error is rendered ONE way: on
    /// stderr as `gshare: error: MESSAGE` (and `  fix: FIX`), with `--json` also as
    /// `{"error": {code, message, fix, …}}` on stdout; and it ends the command with the
    /// exit status of its verdict.
    static func run(
        _ output: OutputOptions, errorDocument: @escaping (WorkflowError) -> any Encodable = { ErrorDocument($0) },
        _ body: (Invocation) async throws -> Void
    ) async throws {
        let invocation = Invocation(output)
        do {
            try await body(invocation)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failure = WorkflowError(error)
            invocation.context.logger.debug("ended with an error", metadata: ["code": "\(failure.code)", "verdict": "\(failure.verdict.rawValue)"])
            Console.printError(failure)
            if output.json { try Console.printJSON(errorDocument(failure)) }
            throw ExitStatus.of(failure.verdict)
        }
    }
}

/// The `--json` form of every error: `{"error": {code, message, fix, subject, file, line, column, key, context}}`.
struct ErrorDocument: Encodable {
    struct Entry: Encodable {
        let code: String
        let message: String
        let fix: String?
        let subject: String?
        let file: String?
        let line: Int?
        let column: Int?
        let key: String?
        let context: [String: String]?

        init(_ error: WorkflowError) {
            code = error.code.rawValue
            message = error.message
            fix = error.fix
            subject = error.subject
            file = error.location?.file
            line = error.location?.line
            column = error.location?.column
            key = error.location?.key
            context = error.context.isEmpty ? nil : error.context
        }
    }

    let error: Entry

    init(_ error: WorkflowError) { self.error = Entry(error) }
}

enum Console {
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `gshare: error: MESSAGE` (and `  fix: FIX`) on stderr.
    static func printError(_ error: WorkflowError) {
        printError(error.description)
    }

    /// Prints `gshare: error: …` on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("gshare: error: \(TerminalText.escaped(message))\n".utf8))
    }

    /// Prints `gshare: warning: …` on stderr.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("gshare: warning: \(TerminalText.escaped(message))\n".utf8))
    }

    /// Whether stderr is a terminal (progress lines are only drawn on one).
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

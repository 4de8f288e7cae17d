//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Show the audit log: every state-changing gshare command, who ran it and how it ended.",
            discussion: """
                Recorded in the registry (state_dir/gshare.sqlite) by share create/delete, access \
                allow/deny, pool prepare and tenant onboard/remove: time, OS user, host, the \
                command line, the target, and ok/refused/failed with a message.

                  gshare audit --since 7d
                  gshare audit --since 2026-06-01T00:00:00Z --json

                Exit status: 0 shown; 2 could not run (a bad --since, the registry cannot be opened).
                """
        )

        @Option(help: ArgumentHelp("Only entries since this RFC 3339 time, or this long ago (30m, 1h, 7d, 2w).", valueName: "time"))
        var since: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let entries = try cli.workflows(configuration).auditEntries(since: since)
                try cli.emit(["entries": entries.map(AuditDocument.init)]) { TenantText.auditLog(entries, since: since) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Access {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Who is let in to a share: each auth.ssl-allow entry, marked system, tenant or unknown.",
            discussion: """
                system: a system CN from gshare.toml; tenant: granted through gshare; unknown: \
                put there by something else (kept as it is).

                Exit status: 0 listed; 1 no such share; 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let found = try await cli.workflows(configuration).accessList(share: share)
                try cli.emit(found) { DriverText.accessList(found) }
            }
        }
    }
}

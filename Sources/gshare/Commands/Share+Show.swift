//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Share {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One share in full: export location, size and usage, state, creation time and access list.",
            discussion: """
                Usage (used and free bytes, and whether it is past its soft limit,                 soft_limit_percent) comes from the volume's quota (one 'volume quota VOLUME list');                 for a share without a limit, from its bricks' file systems.

                Exit status: 0 shown; 1 no such share; 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let found = try await cli.workflows(configuration).share(share, usage: true)
                try cli.emit(found) { DriverText.share(found) }
            }
        }
    }
}

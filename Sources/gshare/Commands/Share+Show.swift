//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Share {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One share in full: export location, volume, state, creation time and access list.",
            discussion: "Exit status: 0 shown; 1 no such share; 2 could not run."
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let found = try await cli.workflows(configuration).share(share)
                try cli.emit(found) { DriverText.share(found) }
            }
        }
    }
}

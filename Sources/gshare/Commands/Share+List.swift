//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Share {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every share: id, name, export location, size, state and who is let in.",
            discussion: """
                One 'gluster volume info all' per server; with --usage, also each share's used and                 free bytes (one 'volume quota VOLUME list' per share, 16 at a time).                 Exit status: 0 listed; 2 could not run.
                """
        )

        @Flag(help: "Also read each share's used and free bytes (one quota read per share).")
        var usage = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let shares = try await cli.workflows(configuration).shares(usage: usage)
                try cli.emit(ShareListDocument(shares: shares)) { DriverText.shareList(shares, usage: usage) }
            }
        }
    }
}

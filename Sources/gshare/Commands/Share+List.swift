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
            discussion: "One 'gluster volume info all' per server. Exit status: 0 listed; 2 could not run."
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let shares = try await cli.workflows(configuration).shares()
                try cli.emit(ShareListDocument(shares: shares)) { DriverText.shareList(shares) }
            }
        }
    }
}

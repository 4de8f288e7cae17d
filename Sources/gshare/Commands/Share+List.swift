//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver

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
            let config = try configuration.load()
            let shares = try await DriverExit.reporting(json: output.json) { try await ShareDriver(config: config).shares() }
            if output.json {
                try Console.printJSON(ShareListDocument(shares: shares))
            } else {
                print(DriverText.shareList(shares))
            }
        }
    }
}

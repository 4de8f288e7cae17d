//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Pool {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every pool volume: size, state (free / share id / needs-wipe) and TLS posture.",
            discussion: """
                One 'gluster volume info all' per server. Exit status: 0 listed; 2 could not run \
                (configuration, glusterd unreachable).
                """
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let inventory = try await cli.workflows(configuration).pool()
                try cli.emit(PoolListDocument(inventory)) { DriverText.poolList(inventory) }
            }
        }
    }
}

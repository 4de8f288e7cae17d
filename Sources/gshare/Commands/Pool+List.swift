//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver

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
            let config = try configuration.load()
            let inventory = try await DriverExit.reporting(json: output.json) { try await ShareDriver(config: config).inventory() }
            if output.json {
                try Console.printJSON(PoolListDocument(inventory))
            } else {
                print(DriverText.poolList(inventory))
            }
        }
    }
}

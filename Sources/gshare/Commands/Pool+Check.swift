//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Pool {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Judge each pool volume's TLS posture, and print the command that fixes what is wrong.",
            discussion: """
                Checks per volume: server.ssl and client.ssl on (unset = off; 'maybe' admits \
                plain-text clients), auth.ssl-allow set and neither '*' nor globbed (a glob admits \
                names nobody chose), every system CN present (the nodes need it for heal and \
                quota), server.dynamic-auth on (so a deny disconnects clients at once), started.

                Exit status: 0 every volume checked is ready; 1 at least one is not; 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("Only these volumes (names or host:/volume). Default: the whole pool.", valueName: "volume"))
        var volumes: [String] = []

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let check = try await cli.workflows(configuration).checkPool(volumes)
                try cli.emit(PoolCheckDocument(check)) { DriverText.check(check) }
                try cli.finish(check.verdict)
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Every share with who is let in, the free volumes, and the volumes waiting for a wipe.",
            discussion: """
                One `volume info all` per server. Each auth.ssl-allow entry is shown as system \
                (system_cns), tenant (with the tenant's name) or unknown.

                Exit status: 0 shown; 2 could not run.
                """
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let report = try await cli.workflows(configuration).status()
                try cli.emit(report) { DoctorText.status(report) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import TenantRegistry

extension GShare.ApiUser {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an API user: its certificate no longer opens the share API (at once, also for a running gshare serve).",
            discussion: "Audited. Exit status: 0 removed; 1 no such user; 2 could not run (the registry)."
        )

        @Argument(help: ArgumentHelp("The API user's name.", valueName: "name"))
        var name: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let user = try await cli.workflows(configuration).removeAPIUser(name)
                try cli.emit(user) { "API user \(user.name) (CN \(user.commonName)) removed" }
            }
        }
    }
}

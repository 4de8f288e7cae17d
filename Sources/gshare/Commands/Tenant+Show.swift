//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Tenant {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a tenant: its CN, current certificate and every certificate onboarded for it.",
            discussion: "Exit status: 0 shown; 1 no such tenant (the known ones are listed); 2 could not run."
        )

        @Argument(help: ArgumentHelp("The tenant's name.", valueName: "name"))
        var name: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let details = try cli.workflows(configuration).tenant(name)
                let now = cli.context.now()
                try cli.emit(TenantDocument(details.tenant, history: details.history, now: now)) {
                    TenantText.details(details.tenant, history: details.history, now: now)
                }
            }
        }
    }
}

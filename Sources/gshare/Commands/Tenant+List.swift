//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Tenant {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the registered tenants: name, CN, certificate expiry and fingerprint.",
            discussion: "Exit status: 0 listed; 2 could not run (the registry cannot be opened)."
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let tenants = try cli.workflows(configuration).tenants()
                let now = cli.context.now()
                try cli.emit(["tenants": tenants.map { TenantDocument($0, now: now) }]) { TenantText.list(tenants, now: now) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Access {
    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deny",
            abstract: "Throw a tenant out: remove its CN from the share's auth.ssl-allow.",
            discussion: """
                --cert takes the CN from the certificate without judging it, so an expired or \
                revoked tenant can always be thrown out; --cn takes the name itself; a TENANT \
                from the registry gives its recorded CN (expired or not). A system CN \
                (system_cns in gshare.toml) is never removed. With server.dynamic-auth on, the \
                tenant's open connections are closed at once.

                Exit status: 0 denied (or was not in the list); 1 refused (a system CN, an invalid \
                CN, no such share); 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var identity: IdentityOptions
        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let change = try await cli.workflows(configuration).deny(share: share, identity: identity.selector, request: identity.request)
                try cli.emit(change) { DriverText.change(change) }
            }
        }
    }
}

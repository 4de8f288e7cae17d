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

                Every entry that admits the name as a plain name spelt another way (an escaped \
                spelling such as tenant\\-a) goes too; a pattern that would still admit it (*, \
                tenant-*) makes the deny refuse: narrow the list first (gshare pool prepare). When \
                the list held a '\\', the running bricks ignore every change until restarted: the \
                deny is written, the volume is marked restart-pending, and gshare says the tenant \
                is NOT cut off yet (exit 1) until gshare pool prepare VOLUME --restart.

                Exit status: 0 denied (or was not in the list); 1 refused (a system CN, an invalid \
                CN, a pattern still admitting it, no such share) or written but not enforced until \
                the bricks restart; 2 could not run.
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
                try cli.finish(change.verdict)
            }
        }
    }
}

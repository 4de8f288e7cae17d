//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver

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
            let config = try configuration.load()
            let change = try await DriverExit.reporting(
                json: output.json, audit: .init(config: config, target: share),
                summary: { (change: AccessChange) in "\(change.changed ? "" : "unchanged: ")\(change.commonName) on \(change.volume)" }
            ) {
                let name = try identity.grantedName(config: config, forAllow: false)
                return try await ShareDriver(config: config).deny(share, name, request: identity.request)
            }
            if output.json {
                try Console.printJSON(change)
            } else {
                print(DriverText.change(change))
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Tenant {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Forget a tenant (and its certificate history).",
            discussion: """
                Refused while the tenant's CN is still in any share's auth.ssl-allow (the shares \
                are listed), unless --revoke-access: then the CN is first denied on every share \
                listing it ('gshare access deny'), and the tenant is removed.

                Exit status: 0 removed; 1 refused (no such tenant, still allowed somewhere); 2 \
                could not run.
                """
        )

        @Argument(help: ArgumentHelp("The tenant's name.", valueName: "name"))
        var name: String

        @Flag(name: .customLong("revoke-access"), help: "First deny the tenant's CN on every share that lists it.")
        var revokeAccess = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let removal = try await cli.workflows(configuration).removeTenant(name, revokeAccess: revokeAccess)
                try cli.emit(removal) { TenantText.removed(removal) }
            }
        }
    }
}

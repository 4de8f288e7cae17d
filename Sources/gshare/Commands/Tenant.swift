//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Tenant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tenant",
            abstract: "The tenant registry: onboard tenants' certificates, then grant by tenant name.",
            discussion: """
                The registry (state_dir/gshare.sqlite) records each tenant's name, the CN \
                GlusterFS will see, and every certificate ever onboarded for it. Onboarding \
                validates against tenant_ca with the strict tenant policy; a renewed certificate \
                for the same CN replaces the current one and is kept in the history.

                  gshare tenant onboard tenant-a.pem
                  gshare tenant onboard certs/            (every *.pem and *.crt)
                  gshare access allow tenant-a-data tenant-a
                  gshare tenant remove tenant-a --revoke-access
                """,
            subcommands: [Onboard.self, List.self, Show.self, Remove.self]
        )
    }
}

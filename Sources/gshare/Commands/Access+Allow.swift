//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Access {
    struct Allow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allow",
            abstract: "Let a tenant in: add its certificate's CN to the share's auth.ssl-allow.",
            discussion: """
                The name comes from a certificate that passes validation against tenant_ca \
                (--cert; the name is the first subject CN, exactly as GlusterFS reads it), or from \
                --cn checked by the same rules. Globs, '*', separators and spaces can never get in.

                Refused when the share's volume is not TLS-ready (the reason and the fix are \
                printed). System CNs and entries gshare did not write are kept as they are; the \
                list is written comma-separated in ONE 'gluster volume set' and read back; \
                nothing is written when the name is already there. Concurrent allow/deny on one \
                share from many gshare processes on this host lose nothing (a lock per volume).

                Only --access-type cert and --level rw exist (GlusterFS admits a CN read-write or \
                not at all).

                A TENANT (positional) is a name from the tenant registry (gshare tenant list): its \
                recorded CN is used; an expired recorded certificate is refused (onboard the \
                renewed one first).

                Exit status: 0 allowed (or already allowed); 1 refused (invalid certificate or CN, \
                TLS not ready, unsupported access type or level, no such share); 2 could not run.

                Example:
                  gshare access allow tenant-a-data --cert tenant-a/glusterfs.pem
                  gshare access allow 2f0c… --cn tenant-b
                  gshare access allow tenant-a-data tenant-a     (a registered tenant)
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var identity: IdentityOptions
        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let change = try await cli.workflows(configuration).allow(share: share, identity: identity.selector, request: identity.request)
                try cli.emit(change) { DriverText.change(change) }
                try cli.finish(change.verdict)
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import GlusterDriver

extension GShare.Share {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Claim a free, TLS-ready pool volume as a new share.",
            discussion: """
                Picks the smallest sized volume that holds --size GB (unsized volumes last, as \
                Manila's GlusterFS driver does), marks it with a new share id, and sets \
                auth.ssl-allow to exactly the system CNs: no tenant can open it until you run \
                'gshare access allow'. Prints the share id and the export location host:/volume.

                The share's size (--size GiB, else the volume's own size from the pattern) is \
                recorded on the volume (user.gshare.size) and enforced: quota on, a hard limit of \
                that size on '/', checked at every write (features.hard-timeout and soft-timeout \
                0), and the tenant's df shows it (quota-deem-statfs). A volume without a size \
                (no #{size} in its name) and no --size: the share takes the whole volume, no \
                limit. When the quota cannot be set, the create steps back and the volume is free \
                again. 'gshare share delete' turns quota off again.

                Safe when several gshare processes create at once: a volume is claimed only under \
                its lock, and its mark is read back after writing.

                Exit status: 0 created; 1 refused (no free volume fits — the free ones are listed — \
                or the name is taken or invalid); 2 could not run.
                """
        )

        @Option(help: ArgumentHelp("The share's size in GiB (2^30 bytes), enforced by a quota. Default: the size of the smallest free volume.", valueName: "GiB"))
        var size: Int?

        @Option(help: ArgumentHelp("A name to refer to the share by (letters, digits, . _ -).", valueName: "name"))
        var name: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let result = try await cli.workflows(configuration).createShare(name: name, sizeGB: size)
                try cli.emit(result.share) { DriverText.created(result.share) }
            }
        }
    }
}

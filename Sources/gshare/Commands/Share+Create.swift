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

                Safe when several gshare processes create at once: a volume is claimed only under \
                its lock, and its mark is read back after writing.

                Exit status: 0 created; 1 refused (no free volume fits — the free ones are listed — \
                or the name is taken or invalid); 2 could not run.
                """
        )

        @Option(help: ArgumentHelp("The size the share needs, in GB. Default: any size (the smallest volume).", valueName: "GB"))
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

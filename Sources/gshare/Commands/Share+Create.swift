//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
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
            let config = try configuration.load()
            let result = try await DriverExit.reporting(
                json: output.json, audit: .init(config: config, target: name ?? "pool"),
                summary: { (result: CreateResult) in "created share \(result.share.id) on \(result.share.volume)" }
            ) {
                try await ShareDriver(config: config).createShare(name: name, sizeGB: size)
            }
            if output.json {
                try Console.printJSON(result.share)
            } else {
                print("created " + DriverText.share(result.share))
                print("next: gshare access allow \(result.share.name ?? result.share.id) --cert TENANT.pem")
            }
        }
    }
}

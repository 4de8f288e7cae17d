//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import GlusterDriver

extension GShare.Share {
    struct Resize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resize",
            abstract: "Give a share a new size (extend or shrink), in GiB.",
            discussion: """
                Records the new size on the volume (user.gshare.size) and sets its quota limit \
                on '/' to it: one quota change. Under the share's lock, on this host and across \
                the pool; audited.

                  gshare share resize tenant-a-data 4     # extend to 4 GiB
                  gshare share resize tenant-a-data 1     # shrink, if it holds less than 1 GiB

                Refused, with nothing changed: growing past the share's volume (its pattern \
                size, or what its bricks hold for a volume without one) — gshare does not move \
                data, it names a free volume that would hold the size; shrinking below what the \
                share holds (the figure is given). A share made before sizes were enforced gets \
                its first size (quota on).

                Exit status: 0 resized (or already that size); 1 refused (too large, below its \
                usage, no such share, not a size); 2 could not run; 3 outcome unknown (a node \
                hung: see gshare share show).
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @Argument(help: ArgumentHelp("The new size in GiB (2^30 bytes).", valueName: "GiB"))
        var size: Int

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let result = try await cli.workflows(configuration).resizeShare(share, size: size)
                try cli.emit(result) { DriverText.resized(result) }
            }
        }
    }
}

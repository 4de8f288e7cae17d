//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Share {
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Cut every tenant off, wipe the volume and give it back to the pool.",
            discussion: """
                1. auth.ssl-allow becomes exactly the system CNs and the volume is marked \
                needs-wipe (with server.dynamic-auth on, connected tenants are disconnected now);
                2. everything in the volume is deleted through libgfapi, connected as gshare's own \
                identity (manager_cert/manager_key/manager_ca in gshare.toml);
                3. the marks are cleared: the volume is free again.

                If the wipe fails, the volume stays needs-wipe and is never handed out; run the \
                same command again to finish. Deleting a share that was already deleted does \
                nothing and succeeds.

                Exit status: 0 deleted (or already deleted); 1 no such share; 2 could not run \
                (the wipe failed, glusterd unreachable, configuration).
                """
        )

        @Argument(help: ArgumentHelp("The share: its id, name, or volume.", valueName: "share"))
        var share: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let result = try await cli.workflows(configuration).deleteShare(share)
                try cli.emit(result) { DriverText.deleted(result) }
            }
        }
    }
}

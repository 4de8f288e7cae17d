//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver
import GlusterFSAPI

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
            let config = try configuration.load()
            let result = try await DriverExit.reporting(
                json: output.json, audit: .init(config: config, target: share),
                summary: { (result: DeleteResult) in result.deleted ? "deleted share \(result.shareID): \(result.volume) wiped and back in the pool" : "already deleted" }
            ) {
                try await ShareDriver(config: config).deleteShare(share) { counts in
                    Progress.line("wiping: \(counts.files) files, \(counts.directories) directories removed")
                }
            }
            Progress.finish()
            if output.json {
                try Console.printJSON(result)
            } else if result.deleted {
                print("deleted share \(result.shareID): \(result.volume) wiped (\(result.filesRemoved) files, \(result.directoriesRemoved) directories) and back in the pool")
            } else {
                print("share \(result.shareID) was already deleted (\(result.volume) is back in the pool): nothing to do")
            }
        }
    }
}

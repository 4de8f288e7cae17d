//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Pool {
    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare",
            abstract: "Apply the safe TLS settings to a pool volume.",
            discussion: """
                In one 'gluster volume set': auth.ssl-allow narrowed (globs and '*' removed) and \
                completed with the system CNs FIRST, then server.ssl, client.ssl and \
                server.dynamic-auth on. Only what differs is set.

                server.ssl takes effect when the bricks restart. Without --restart gshare says a \
                restart is needed; with --restart it stops and starts the volume: every client is \
                disconnected.

                Exit status: 0 the volume is ready; 1 applied but a restart is still needed (or \
                the volume is not in the pool); 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("The pool volume (name or host:/volume).", valueName: "volume"))
        var volume: String

        @Flag(help: "Stop and start the volume so server.ssl takes effect (disconnects every client).")
        var restart = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            if restart && !output.json {
                Console.printWarning("--restart: if \(volume) needs it, it is stopped and started: connected clients are disconnected")
            }
            try await CLI.run(output) { cli in
                let result = try await cli.workflows(configuration).preparePool(volume: volume, restart: restart)
                try cli.emit(result) { DriverText.prepared(result, asked: volume) }
                try cli.finish(result.verdict)
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver

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
            let config = try configuration.load()
            if restart && !output.json {
                Console.printWarning("--restart: if \(volume) needs it, it is stopped and started: connected clients are disconnected")
            }
            let result = try await DriverExit.reporting(
                json: output.json, audit: .init(config: config, target: volume),
                summary: { (result: PrepareResult) in "set \(result.applied.map(\.description).joined(separator: " ")); \(result.readyAfter ? "ready" : "not ready")" }
            ) {
                try await ShareDriver(config: config).prepare(volume: volume, restart: restart)
            }
            if output.json {
                try Console.printJSON(result)
            } else {
                if result.applied.isEmpty {
                    print("\(result.volume): nothing to set")
                } else {
                    print("\(result.volume): set " + result.applied.map(\.description).joined(separator: " "))
                }
                if result.restarted { print("\(result.volume): restarted (stop + start)") }
                if result.restartNeeded {
                    print("\(result.volume): server.ssl takes effect only after a restart: gshare pool prepare \(volume) --restart (disconnects clients)")
                }
                print("\(result.volume): \(result.readyAfter ? "READY" : "NOT READY (gshare pool check \(volume))")")
            }
            if !result.readyAfter { throw ExitStatus.rejected }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterDriver

extension GShare.Pool {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Judge each pool volume's TLS posture, and print the command that fixes what is wrong.",
            discussion: """
                Checks per volume: server.ssl and client.ssl on (unset = off; 'maybe' admits \
                plain-text clients), auth.ssl-allow set and neither '*' nor globbed (a glob admits \
                names nobody chose), every system CN present (the nodes need it for heal and \
                quota), server.dynamic-auth on (so a deny disconnects clients at once), started.

                Exit status: 0 every volume checked is ready; 1 at least one is not; 2 could not run.
                """
        )

        @Argument(help: ArgumentHelp("Only these volumes (names or host:/volume). Default: the whole pool.", valueName: "volume"))
        var volumes: [String] = []

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let config = try configuration.load()
            let inventory = try await DriverExit.reporting(json: output.json) { try await ShareDriver(config: config).inventory() }
            var selected: [PoolVolume] = inventory.volumes
            if !volumes.isEmpty {
                selected = []
                for name in volumes {
                    guard let volume = inventory.volume(named: name) else {
                        Console.printError("\(name) is not a volume of the configured pool (gshare pool list shows it)")
                        throw ExitStatus.couldNotRun
                    }
                    selected.append(volume)
                }
            }
            let ready = selected.filter(\.posture.isReady).count
            if output.json {
                try Console.printJSON(PoolCheckDocument(volumes: selected.map(\.posture), ready: ready, notReady: selected.count - ready))
            } else {
                for volume in selected { print(DriverText.posture(volume.posture, export: volume.exportLocation)) }
                print("\(ready) ready, \(selected.count - ready) not ready")
            }
            if ready < selected.count { throw ExitStatus.rejected }
        }
    }
}

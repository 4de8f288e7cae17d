//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import GlusterDriver

extension GShare.Pool {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every pool volume: size, state (free / share id / needs-wipe) and TLS posture.",
            discussion: """
                One 'gluster volume info all' per server, and the free capacity summed by size. \
                With --usage, also how full each share is (its quota: used, free, past its soft \
                limit) and what each free volume without a pattern size holds (its bricks), read \
                16 volumes at a time. Exit status: 0 listed; 2 could not run (configuration, \
                glusterd unreachable).
                """
        )

        @Flag(help: "Also read each share's used and free bytes, and unsized volumes' capacity (one call per volume).")
        var usage = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let workflows = try cli.workflows(configuration)
                if usage {
                    let pool = try await workflows.poolUsage()
                    try cli.emit(PoolListDocument(pool.inventory, usages: pool.usages, unit: pool.unit)) {
                        DriverText.poolList(pool.inventory, usages: pool.usages, unit: pool.unit)
                    }
                } else {
                    let inventory = try await workflows.pool()
                    let unit = workflows.config.sizeUnit
                    try cli.emit(PoolListDocument(inventory, usages: nil, unit: unit)) { DriverText.poolList(inventory, usages: nil, unit: unit) }
                }
            }
        }
    }
}

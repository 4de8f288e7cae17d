//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareDoctor
import GlusterDriver

extension GShare {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Every share with who is let in, the free volumes, and the volumes waiting for a wipe.",
            discussion: """
                One `volume info all` per server. Each auth.ssl-allow entry is shown as system \
                (system_cns), tenant (with the tenant's name) or unknown.

                Exit status: 0 shown; 2 could not run.
                """
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let config = try configuration.load()
            let inventory = try await DriverExit.reporting(json: output.json) { try await ShareDriver(config: config).inventory() }
            let tenants = try await DriverExit.reporting(json: output.json) { try RegistryTenants.load(config: config) }
            let report = StatusReport(inventory: inventory, tenants: tenants, systemCNs: config.systemCNs)
            if output.json {
                try Console.printJSON(report)
            } else {
                print(DoctorText.status(report))
            }
        }
    }
}

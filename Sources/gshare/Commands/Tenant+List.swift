//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver
import TenantRegistry

extension GShare.Tenant {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the registered tenants: name, CN, certificate expiry and fingerprint.",
            discussion: "Exit status: 0 listed; 2 could not run (the registry cannot be opened)."
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let config = try configuration.load()
            let tenants = try await DriverExit.reporting(json: output.json) {
                try TenantRegistry(stateDirectory: config.stateDirectory).tenants()
            }
            let now = Date()
            if output.json {
                try Console.printJSON(["tenants": tenants.map { TenantDocument($0, now: now) }])
            } else if tenants.isEmpty {
                print("no tenants yet: gshare tenant onboard CERT.pem")
            } else {
                tenants.forEach { print(TenantText.row($0, now: now)) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver
import TenantRegistry

extension GShare.Tenant {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a tenant: its CN, current certificate and every certificate onboarded for it.",
            discussion: "Exit status: 0 shown; 1 no such tenant (the known ones are listed); 2 could not run."
        )

        @Argument(help: ArgumentHelp("The tenant's name.", valueName: "name"))
        var name: String

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let config = try configuration.load()
            let (tenant, history) = try await DriverExit.reporting(json: output.json) {
                let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
                guard let tenant = try registry.tenant(named: name) else {
                    throw TenantText.unknownTenant(name, known: try registry.tenants().map(\.name), registry: registry.path)
                }
                return (tenant, try registry.history(of: name))
            }
            let now = Date()
            if output.json {
                try Console.printJSON(TenantDocument(tenant, history: history, now: now))
            } else {
                print(TenantText.details(tenant, history: history, now: now))
            }
        }
    }
}

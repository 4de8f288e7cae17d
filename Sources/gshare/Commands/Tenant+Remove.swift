//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver
import TenantPKI
import TenantRegistry

extension GShare.Tenant {
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Forget a tenant (and its certificate history).",
            discussion: """
                Refused while the tenant's CN is still in any share's auth.ssl-allow (the shares \
                are listed), unless --revoke-access: then the CN is first denied on every share \
                listing it ('gshare access deny'), and the tenant is removed.

                Exit status: 0 removed; 1 refused (no such tenant, still allowed somewhere); 2 \
                could not run.
                """
        )

        @Argument(help: ArgumentHelp("The tenant's name.", valueName: "name"))
        var name: String

        @Flag(name: .customLong("revoke-access"), help: "First deny the tenant's CN on every share that lists it.")
        var revokeAccess = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        struct Removal: Codable {
            let tenant: String
            let commonName: String
            let revokedFrom: [String]
        }

        func run() async throws {
            let config = try configuration.load()
            let removal = try await DriverExit.reporting(
                json: output.json, audit: .init(config: config, target: name),
                summary: { (done: Removal) in "removed tenant \(done.tenant) (CN \(done.commonName))" + (done.revokedFrom.isEmpty ? "" : "; denied on \(done.revokedFrom.joined(separator: ", "))") }
            ) {
                let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
                guard let tenant = try registry.tenant(named: name) else {
                    throw TenantText.unknownTenant(name, known: try registry.tenants().map(\.name), registry: registry.path)
                }
                let driver = ShareDriver(config: config)
                let listing = try await driver.shares().filter { share in share.access.contains { $0.name == tenant.commonName } }
                if !listing.isEmpty && !revokeAccess {
                    let names = listing.map { "\($0.name ?? $0.id) (\($0.volume))" }.joined(separator: ", ")
                    throw IdentityRefusal(
                        code: "tenant-has-access",
                        message: "tenant '\(name)' (CN \(tenant.commonName)) is still allowed on \(names); nothing was changed. Deny it there first, or run again with --revoke-access")
                }
                let granted = GrantedName(try CommonName(validating: tenant.commonName))
                var revoked: [String] = []
                for share in listing {
                    _ = try await driver.deny(share.id, granted)
                    revoked.append(share.name ?? share.id)
                }
                try registry.remove(named: name)
                return Removal(tenant: name, commonName: tenant.commonName, revokedFrom: revoked)
            }
            if output.json {
                try Console.printJSON(removal)
            } else {
                for share in removal.revokedFrom { print("denied \(removal.commonName) on \(share)") }
                print("removed tenant \(removal.tenant) (CN \(removal.commonName))")
            }
        }
    }
}

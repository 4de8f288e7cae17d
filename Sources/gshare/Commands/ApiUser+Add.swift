//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import TenantRegistry


extension GShare.ApiUser {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register a user of the share API by its client certificate.",
            discussion: """
                Refused (nothing recorded): a file without a certificate, an expired \
                certificate, a CN that is not a valid CN or is a system CN, a project ID that is \
                not one, a name or CN another API user holds. Audited.

                Exit status: 0 added; 1 refused; 2 could not run (the registry).
                """
        )

        @Argument(help: ArgumentHelp("The API user's name (for the audit log and api-user remove).", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("The client certificate the user presents (PEM).", valueName: "file"))
        var cert: String

        @Option(help: ArgumentHelp("The project the user acts for (its URL is /v2/PROJECT).", valueName: "project"))
        var project: String

        @Option(help: ArgumentHelp("member: its project's shares only; admin: every project's (all_tenants).", valueName: "role"))
        var role: APIUserRecord.Role = .member

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let user = try await cli.workflows(configuration).addAPIUser(name: name, certificatePath: cert, project: project, role: role)
                try cli.emit(user) { "API user \(user.name) added: CN \(user.commonName), project \(user.project), \(user.role.rawValue)" }
            }
        }
    }
}

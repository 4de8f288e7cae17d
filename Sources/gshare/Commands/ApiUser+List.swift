//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import TenantPKI
import TenantRegistry

extension GShare.ApiUser {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the API users: name, CN, project, role, certificate expiry.",
            discussion: "Exit status: 0 listed; 2 could not run (the registry cannot be opened)."
        )

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let users = try cli.workflows(configuration).apiUsers()
                try cli.emit(["apiUsers": users]) {
                    users.isEmpty
                        ? "no API users (gshare api-user add NAME --cert FILE --project P)"
                        : users.map { "\($0.name)  CN \($0.commonName)  project \($0.project)  \($0.role.rawValue)  until \(RFC3339.format($0.notAfter))" }
                            .joined(separator: "\n")
                }
            }
        }
    }
}

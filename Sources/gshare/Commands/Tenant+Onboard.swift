//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Tenant {
    struct Onboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "onboard",
            abstract: "Validate tenant certificates against tenant_ca and record them in the registry.",
            discussion: """
                Each certificate must pass both layers of 'gshare cert verify' against tenant_ca \
                from gshare.toml (a PEM may carry its chain after the leaf). A refused certificate \
                is printed with every reason and its fix, and nothing is recorded for it.

                A new CN becomes a new tenant (named --name, default the CN). A new certificate for \
                a CN already registered renews that tenant (the old one stays in its history). A CN \
                held by another tenant name, or a name held by another CN, is refused.

                A directory stands for every *.pem and *.crt in it. With several files, a progress \
                line is drawn on stderr (when it is a terminal) and a summary is printed.

                Exit status: 0 every certificate onboarded (or unchanged); 1 some were refused; \
                2 could not run (no tenant_ca, a missing path, the registry cannot be opened).
                """
        )

        @Argument(help: ArgumentHelp("Certificate files (PEM or DER) or directories.", valueName: "cert"), completion: .file())
        var certificates: [String]

        @Option(help: ArgumentHelp("The tenant's name (letters, digits, . _ -). Default: the CN. Only with one certificate.", valueName: "name"))
        var name: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if certificates.isEmpty { throw ValidationError("give at least one certificate file or directory") }
            if name != nil && certificates.count != 1 { throw ValidationError("--name names one tenant: give exactly one certificate with it") }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let onboarding = try await cli.workflows(configuration).onboard(certificates, name: name)
                try cli.emit(OnboardDocument(onboarding)) { TenantText.onboarding(onboarding) }
                try cli.finish(onboarding.verdict)
            }
        }
    }
}

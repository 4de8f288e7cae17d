//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Pki {
    struct Lab: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lab",
            abstract: "Build (or complete) a whole lab PKI from a profile: both hierarchies, every host, CRLs.",
            discussion: """
                Reads a lab profile (TOML; default pki/lab.toml in the current folder, which \
                documents every key) and builds in --dir:
                  ca/node-root, ca/node-int      the node hierarchy (nodes, the manager)
                  ca/tenant-root, ca/tenant-int  the tenant hierarchy
                  hosts/NAME/                    NAME.pem, NAME.key, glusterfs/ (per host)
                  crl/, crl/hashed/              CRLs of all four CAs (hashed: ssl.crl-path)
                Hosts are every node, the manager (gshare's own identity) and every tenant. \
                Re-running adds only what is missing and refreshes the CRLs: it never reissues a \
                host that exists. --nodes and --tenants REPLACE the profile's lists; \
                --tenant-count N names the tenants tenant-0001 ... tenant-N. Every name must be \
                safe in auth.ssl-allow (1-64 characters from A-Z a-z 0-9 . _ @ -).

                Progress is drawn on stderr when it is a terminal.

                Exit status: 0 built; 1 refused (a hostile name, an invalid profile, an \
                incomplete host folder in the way); 2 could not run (no profile file, a damaged \
                CA folder, --dir cannot be written).

                Example:
                  gshare pki lab --dir pki/out
                  gshare pki lab --dir /tmp/lab --nodes node1,node2 --tenant-count 1000
                """
        )

        /// The profile used without --profile, relative to the current folder.
        static let defaultProfile = "pki/lab.toml"

        @Option(help: ArgumentHelp("The folder to build the lab in (created if needed; re-runs complete it).", valueName: "dir"), completion: .directory)
        var dir: String

        @Option(help: ArgumentHelp("The lab profile (TOML). Default: \(Self.defaultProfile) in the current folder.", valueName: "file"), completion: .file())
        var profile: String?

        @Option(help: ArgumentHelp("Node names, comma-separated: replace the profile's nodes.", valueName: "n1,n2"))
        var nodes: String?

        @Option(help: ArgumentHelp("Tenant names, comma-separated: replace the profile's tenants.", valueName: "t1,t2"))
        var tenants: String?

        @Option(name: .customLong("tenant-count"), help: ArgumentHelp("Replace the profile's tenants with tenant-0001 ... tenant-N.", valueName: "n"))
        var tenantCount: Int?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if tenants != nil && tenantCount != nil {
                throw ValidationError("give either --tenants or --tenant-count, not both: each replaces the profile's tenants")
            }
            if let tenantCount, !(0...100_000).contains(tenantCount) {
                throw ValidationError("--tenant-count must be between 0 and 100000")
            }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let built = try PKIWorkflows(cli).buildLab(
                    in: dir, profile: profile, nodes: nodes.map(Self.names), tenants: tenants.map(Self.names), tenantCount: tenantCount)
                let document = LabDocument(built)
                try cli.emit(document) { PKIText.render(document) }
                document.warnings.forEach(Console.printWarning)
            }
        }

        /// A comma-separated list of names (checked by the workflow).
        static func names(_ text: String) -> [String] {
            text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

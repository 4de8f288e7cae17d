//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import TenantPKI

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

        /// The tenant names `--tenant-count` stands for.
        static func numberedTenants(_ count: Int) throws -> [CommonName] {
            try (0..<count).map { try CommonName(validating: String(format: "tenant-%04d", $0 + 1)) }
        }

        func run() async throws {
            let progress = Console.standardErrorIsTerminal ? ProgressLine() : nil
            let document = try PKIExit.reporting(json: output.json) {
                defer { progress?.finish() }
                return try build(progress: progress)
            }
            if output.json {
                try Console.printJSON(document)
            } else {
                print(PKIText.render(document))
            }
            document.warnings.forEach(Console.printWarning)
        }

        private func build(progress: ProgressLine?) throws -> LabDocument {
            let profilePath = profile ?? Self.defaultProfile
            // Names from the command line are checked first: a hostile one is refused whatever the profile.
            let nodeNames = try nodes.map(CommonNameList.parse)
            let tenantNames = try tenants.map(CommonNameList.parse) ?? tenantCount.map(Self.numberedTenants)
            if profile == nil && !FileManager.default.fileExists(atPath: profilePath) {
                throw PKICommandFailure(
                    code: "file-unreadable",
                    message: "\(profilePath): there is no lab profile here (the default, relative to the current folder "
                        + "\(FileManager.default.currentDirectoryPath)). Give one with --profile FILE, e.g. the repository's pki/lab.toml.",
                    status: ExitStatus.couldNotRun)
            }
            var lab = try LabProfile.load(fromFile: profilePath)
            if let nodeNames { lab.nodes = nodeNames }
            if let tenantNames { lab.tenants = tenantNames }
            var report: (@Sendable (LabProgress) -> Void)? = nil
            if let progress { report = { progress.update($0) } }
            let outcome = try LabBuilder.build(lab, in: dir, progress: report)
            return LabDocument(profile: profilePath, outcome: outcome)
        }
    }
}

/// The `--json` form of `gshare pki lab`.
struct LabDocument: Codable {
    struct CRLs: Codable {
        let files: [String]
        /// The folder for GlusterFS's `ssl.crl-path`.
        let hashedDirectory: String
        let nextUpdate: String
    }

    let directory: String
    let profile: String
    /// CA folders created in this run (absolute).
    let createdAuthorities: [String]
    /// Hosts issued in this run.
    let issued: [String]
    /// Hosts that were already there (left untouched).
    let alreadyPresent: [String]
    let crl: CRLs
    let warnings: [String]

    init(profile: String, outcome: LabBuilder.Outcome) {
        directory = outcome.directory
        self.profile = profile
        createdAuthorities = outcome.createdAuthorities
        issued = outcome.issued
        alreadyPresent = outcome.skipped
        crl = CRLs(
            files: outcome.crl.written, hashedDirectory: outcome.crl.hashedDirectory, nextUpdate: outcome.crl.nextUpdate.formatted(.iso8601))
        warnings = outcome.warnings
    }
}

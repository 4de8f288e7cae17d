//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import TenantPKI

extension GShare.Pki {
    struct InitCA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init-ca",
            abstract: "Create a root CA, or with --parent an intermediate CA, in a new folder.",
            discussion: """
                A root CA may sign one level of intermediates (pathlen 1); an intermediate \
                (--parent) signs only leaf certificates (pathlen 0), and its certificate is recorded \
                in the parent's issued.tsv. The folder (created mode 0700) receives:
                  ca.pem      the CA certificate
                  ca.key      its private key, mode 0600
                  chain.pem   this CA, then its issuers up to the root
                  issued.tsv  the record of every certificate issued and revoked
                  ca.json     state: the parent folder, the next CRL number
                gshare never overwrites a CA: a folder that already holds one is refused.

                Exit status: 0 created; 1 refused (the folder already holds a CA, --days beyond \
                the parent's validity, a bad --cn): nothing was written; 2 could not run (--parent \
                is not a CA folder, the folder cannot be written).

                Example:
                  gshare pki init-ca --dir ca/tenant-root --cn "Example Tenant Root"
                  gshare pki init-ca --dir ca/tenant-int --parent ca/tenant-root --days 1825
                """
        )

        @Option(help: ArgumentHelp("The folder to create the CA in (created if needed; must not hold a CA).", valueName: "dir"), completion: .directory)
        var dir: String

        @Option(help: ArgumentHelp("The CA's common name (default: \"gshare <folder name> CA\").", valueName: "name"))
        var cn: String?

        @Option(name: .customLong("key-type"), help: ArgumentHelp("The CA key's algorithm.", valueName: "type"))
        var keyType: KeyType = .p256

        @Option(help: ArgumentHelp("Validity in days (default: 3650 for a root; 1825 for an intermediate, capped to the parent's).", valueName: "n"))
        var days: Int?

        @Option(help: ArgumentHelp("The folder of the CA that signs this one: makes an intermediate CA.", valueName: "dir"), completion: .directory)
        var parent: String?

        @OptionGroup var output: OutputOptions

        /// `gshare <folder name> CA`.
        var commonName: String {
            cn ?? "gshare \(URL(fileURLWithPath: dir).standardizedFileURL.lastPathComponent) CA"
        }

        func run() async throws {
            let document = try PKIExit.reporting(json: output.json) {
                let issuer = try parent.map { try CertificateAuthority.load(from: $0) }
                let authority = try CertificateAuthority.create(in: dir, commonName: commonName, keyType: keyType, days: days, parent: issuer)
                return InitCADocument(authority, keyType: keyType)
            }
            if output.json {
                try Console.printJSON(document)
            } else {
                print(PKIText.render(document))
            }
        }
    }
}

/// The `--json` form of `gshare pki init-ca`.
struct InitCADocument: Codable {
    /// The CA folder (absolute).
    let directory: String
    /// `root` or `intermediate`.
    let role: String
    /// The parent CA folder (intermediates only).
    let parent: String?
    let keyType: String
    /// Every file created, in the order of the layout.
    let files: [String]
    let certificate: CertificateSummary

    init(_ authority: CertificateAuthority, keyType: KeyType) {
        directory = authority.directory
        role = authority.isRoot ? "root" : "intermediate"
        parent = authority.parentDirectory
        self.keyType = keyType.rawValue
        files = ["ca.pem", "ca.key", "chain.pem", "issued.tsv", "ca.json"].map { "\(authority.directory)/\($0)" }
        certificate = CertificateSummary(authority.certificate)
    }
}

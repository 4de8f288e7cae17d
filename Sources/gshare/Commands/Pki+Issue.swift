//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import TenantPKI

extension GShare.Pki {
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a tenant (client), server or node certificate with a new key, laid out for GlusterFS.",
            discussion: """
                The common name is the name GlusterFS will authorise, so it must be safe in \
                auth.ssl-allow: 1-64 characters from A-Z a-z 0-9 . _ @ -, starting with a letter \
                or digit (no globs, spaces or commas). Profiles: client = clientAuth only (tenants); \
                server = serverAuth only; node = both (GlusterFS nodes, gshare's own identity).

                Writes into --out (default ./NAME):
                  NAME.pem, NAME.key        the certificate (+ intermediates), its key (0600)
                  glusterfs/glusterfs.pem   the same chain, leaf first
                  glusterfs/glusterfs.key   the same key (0600)
                  glusterfs/glusterfs.ca    the roots this party trusts to verify its PEERS
                A tenant's glusterfs.ca must hold only the NODE root (--peer-ca): GlusterFS clients \
                do not check the server's identity, so trusting its own tenant root would let any \
                other tenant pose as a server. A node's holds its own root and the --peer-ca roots. \
                gshare warns loudly (stderr) when the trust model is broken.

                Nothing is overwritten unless --force; the CA records the certificate in issued.tsv.

                Exit status: 0 issued; 1 refused (a hostile --cn, a bad --san, --days beyond the \
                issuing CA chain, output files that exist): nothing was written; 2 could not run \
                (--ca is not a CA folder, a --peer-ca file is not a certificate, --out cannot be written).

                Example:
                  gshare pki issue --ca ca/tenant-int --cn tenant-a --profile client \\
                      --peer-ca ca/node-root/ca.pem --out hosts/tenant-a
                  gshare pki issue --ca ca/node-int --cn node1 --profile node --san DNS:node1 \\
                      --san IP:192.0.2.10 --peer-ca ca/tenant-root/ca.pem
                """
        )

        @Option(help: ArgumentHelp("The issuing CA's folder (made by gshare pki init-ca).", valueName: "dir"), completion: .directory)
        var ca: String

        @Option(help: ArgumentHelp("The common name: the name GlusterFS will authorise.", valueName: "name"))
        var cn: String

        @Option(help: ArgumentHelp("What the certificate is for.", valueName: "profile"))
        var profile: CertificateProfile

        @Option(help: ArgumentHelp("A subjectAltName, DNS:host.example or IP:192.0.2.10. Repeatable.", valueName: "san"))
        var san: [String] = []

        @Option(help: ArgumentHelp("Validity in days (default: 825, capped to the issuing chain's).", valueName: "n"))
        var days: Int?

        @Option(name: .customLong("key-type"), help: ArgumentHelp("The new key's algorithm.", valueName: "type"))
        var keyType: KeyType = .p256

        @Option(help: ArgumentHelp("The output folder (default: ./NAME).", valueName: "dir"), completion: .directory)
        var out: String?

        @Option(
            name: .customLong("peer-ca"),
            help: ArgumentHelp("The other hierarchy's root certificate(s) for glusterfs.ca (for a tenant: the node root). Repeatable.", valueName: "file"),
            completion: .file())
        var peerCA: [String] = []

        @Flag(help: "Replace output files that already exist (keys are written anew, mode 0600).")
        var force = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let issued = try PKIWorkflows(cli, issuingWith: configuration).issue(
                    ca: ca, commonName: cn, profile: profile, subjectAlternativeNames: san, days: days, keyType: keyType, output: out,
                    peerRoots: peerCA, replacing: force)
                let document = IssueDocument(issued)
                try cli.emit(document) { PKIText.render(document) }
                document.warnings.forEach(Console.printWarning)
            }
        }
    }
}

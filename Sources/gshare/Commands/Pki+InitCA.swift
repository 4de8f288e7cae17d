//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
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

                --hierarchy says which trust hierarchy the CA belongs to (an intermediate inherits \
                its parent's): a tenant CA refuses to issue a --reserve name (the system CNs: every \
                node and gshare's own identity, which are in every volume's auth.ssl-allow), nor any \
                name the node hierarchy next to it issued.

                Example:
                  gshare pki init-ca --dir ca/tenant-root --cn "Example Tenant Root" --hierarchy tenant \\
                      --reserve gluster-node-1,gluster-node-2,gshare-manager
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

        @Option(help: ArgumentHelp("The trust hierarchy: tenant or node (an intermediate inherits its parent's).", valueName: "kind"))
        var hierarchy: CertificateHierarchy?

        @Option(help: ArgumentHelp("Names a tenant CA must never issue (the system CNs), comma-separated.", valueName: "n1,n2"))
        var reserve: String?

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let created = try PKIWorkflows(cli).createAuthority(
                    in: dir, commonName: cn, keyType: keyType, days: days, parent: parent, hierarchy: hierarchy,
                    reservedNames: reserve.map(GShare.Pki.Lab.names) ?? [])
                let document = InitCADocument(created)
                try cli.emit(document) { PKIText.render(document) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Pki {
    struct CRL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crl",
            abstract: "Publish fresh CRLs for a CA and every CA above it, ready for GlusterFS's ssl.crl-path.",
            discussion: """
                GlusterFS checks CRLs for EVERY CA in a client's chain (CRL_CHECK_ALL): one CA \
                without a current CRL and it rejects every client. So this signs a CRL for --ca \
                and for each of its issuers up to the root, listing what their records mark revoked:
                  OUT/<ca folder name>.crl.pem   one PEM CRL per CA
                  OUT/hashed/<hash>.r0           the same CRLs named as openssl rehash names them
                OUT/hashed is the folder to copy to every node and set as the volume option \
                ssl.crl-path. Once a CRL passes its nextUpdate, GlusterFS rejects every client: \
                re-run this before then (it prints the date).

                Exit status: 0 published; 1 refused (a --days out of range); 2 could not run \
                (--ca or a parent is not a CA folder, --out cannot be written).

                Example:
                  gshare pki crl --ca ca/tenant-int --days 30 --out /srv/gshare/crl
                  gluster volume set VOLUME ssl.crl-path /srv/gshare/crl/hashed
                """
        )

        @Option(help: ArgumentHelp("The CA's folder; its ancestors get CRLs too.", valueName: "dir"), completion: .directory)
        var ca: String

        @Option(help: ArgumentHelp("Days until the CRLs' nextUpdate.", valueName: "n"))
        var days: Int = 30

        @Option(help: ArgumentHelp("The output folder (default: <ca>/crl).", valueName: "dir"), completion: .directory)
        var out: String?

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let published = try PKIWorkflows(cli).publishCRLs(ca: ca, days: days, output: out)
                let document = CRLDocument(published)
                try cli.emit(document) { PKIText.render(document) }
                document.warnings.forEach(Console.printWarning)
            }
        }
    }
}

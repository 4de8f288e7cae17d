//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import TenantPKI

extension GShare.Pki {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Mark a certificate revoked in its CA's record (then publish with gshare pki crl).",
            discussion: """
                Give the certificate's serial (hex, as gshare cert inspect prints it; colons and \
                case do not matter) or the certificate file itself (the first certificate of the \
                file: the leaf of a glusterfs.pem). It must have been issued by --ca. Revoking \
                twice changes nothing.

                GlusterFS only learns of it from a CRL: run gshare pki crl --ca DIR afterwards, \
                and put the new CRLs where ssl.crl-path points on every node.

                The revocation is recorded in the audit log (gshare audit) of the configuration's \
                state_dir (--config, $GSHARE_CONFIG, ./gshare.toml, /etc/gshare/gshare.toml), or of \
                the default state folder when there is no configuration.

                Exit status: 0 revoked (or already revoked); 1 refused (--ca never issued that \
                serial or certificate); 2 could not run (--ca is not a CA folder, --cert is not a \
                certificate).

                Example:
                  gshare pki revoke --ca ca/tenant-int --cert hosts/tenant-a/tenant-a.pem \\
                      --reason keyCompromise
                  gshare pki crl --ca ca/tenant-int
                """
        )

        @Option(help: ArgumentHelp("The folder of the CA that issued the certificate.", valueName: "dir"), completion: .directory)
        var ca: String

        @Option(help: ArgumentHelp("The serial number to revoke, hex.", valueName: "hex"))
        var serial: String?

        @Option(help: ArgumentHelp("The certificate to revoke (PEM or DER; the first certificate in the file).", valueName: "file"), completion: .file())
        var cert: String?

        @Option(help: ArgumentHelp("Why (RFC 5280 CRLReason).", valueName: "reason"))
        var reason: RevocationReason = .unspecified

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (serial == nil) == (cert == nil) {
                throw ValidationError("give exactly one of --serial HEX or --cert FILE to say which certificate to revoke")
            }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let revocation = try await PKIWorkflows(cli, configuration).revoke(
                    ca: ca, serial.map { .serial($0) } ?? .certificate(path: cert ?? ""), reason: reason)
                let document = RevokeDocument(revocation)
                try cli.emit(document) { PKIText.render(document) }
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
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

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (serial == nil) == (cert == nil) {
                throw ValidationError("give exactly one of --serial HEX or --cert FILE to say which certificate to revoke")
            }
        }

        func run() async throws {
            let document = try PKIExit.reporting(json: output.json) {
                let authority = try CertificateAuthority.load(from: ca)
                let now = Date()
                let record: IssuanceRecord
                if let serial {
                    record = try authority.revoke(serial: serial, reason: reason, at: now)
                } else {
                    let certificate = try Certificate.load(fromFile: cert ?? "")[0]
                    record = try authority.revoke(certificate: certificate, reason: reason, at: now)
                }
                return RevokeDocument(authority: authority, record: record, alreadyRevoked: record.revokedAt != now)
            }
            if output.json {
                try Console.printJSON(document)
            } else {
                print(PKIText.render(document))
            }
        }
    }
}

/// The `--json` form of `gshare pki revoke`.
struct RevokeDocument: Codable {
    let ca: String
    let serial: String
    let commonName: String
    /// `client`, `server`, `node` or `intermediate-ca`.
    let profile: String
    let reason: String
    let revokedAt: String
    /// True when the record already had it revoked (nothing changed).
    let alreadyRevoked: Bool
    /// The command that publishes the revocation.
    let publishWith: String

    init(authority: CertificateAuthority, record: IssuanceRecord, alreadyRevoked: Bool) {
        ca = authority.directory
        serial = record.serial
        commonName = record.commonName
        profile = record.profile
        reason = (record.reason ?? .unspecified).rawValue
        revokedAt = (record.revokedAt ?? Date()).formatted(.iso8601)
        self.alreadyRevoked = alreadyRevoked
        publishWith = "gshare pki crl --ca \(authority.directory)"
    }
}

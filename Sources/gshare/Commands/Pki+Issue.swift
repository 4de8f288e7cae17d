//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
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

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let document = try PKIExit.reporting(json: output.json) {
                let name = try CommonName(validating: cn)
                let alternativeNames = try san.map(SubjectAlternativeName.init(validating:))
                let authority = try CertificateAuthority.load(from: ca)
                let peerRoots = try peerCA.flatMap { try Certificate.load(fromFile: $0) }
                let issued = try authority.issue(
                    commonName: name, profile: profile, keyType: keyType, subjectAlternativeNames: alternativeNames, days: days)
                let layout = try GlusterFSLayout.write(issued, name: name.value, to: out ?? name.value, peerRoots: peerRoots, replacing: force)
                try authority.appendRecords([issued.record])
                let anchors = GlusterFSLayout.trustAnchors(for: profile, ownRoot: issued.root, peerRoots: peerRoots).anchors
                return IssueDocument(
                    authority: authority, issued: issued, keyType: keyType, files: layout.written, trustAnchors: anchors,
                    warnings: layout.warnings)
            }
            if output.json {
                try Console.printJSON(document)
            } else {
                print(PKIText.render(document))
            }
            document.warnings.forEach(Console.printWarning)
        }
    }
}

/// The `--json` form of `gshare pki issue`.
struct IssueDocument: Codable {
    /// The issuing CA's folder.
    let ca: String
    let commonName: String
    let profile: String
    let keyType: String
    /// The output folder (absolute).
    let directory: String
    /// Every file written, in order.
    let files: [String]
    let certificate: CertificateSummary
    /// Subjects of the CA certificates that follow the leaf in glusterfs.pem.
    let intermediates: [String]
    /// Subjects of the roots in glusterfs.ca.
    let trustAnchors: [String]
    /// The CA's record, which now lists this certificate.
    let record: String
    /// Trust-model concerns (also printed on stderr).
    let warnings: [String]

    init(
        authority: CertificateAuthority, issued: IssuedCertificate, keyType: KeyType, files: [String], trustAnchors: [Certificate],
        warnings: [String]
    ) {
        ca = authority.directory
        commonName = issued.certificate.glusterFSName.displayText
        profile = issued.profile.rawValue
        self.keyType = keyType.rawValue
        directory = files.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? ""
        self.files = files
        certificate = CertificateSummary(issued.certificate)
        intermediates = issued.intermediates.map(\.subject)
        self.trustAnchors = trustAnchors.map(\.subject)
        record = "\(authority.directory)/issued.tsv"
        self.warnings = warnings
    }
}

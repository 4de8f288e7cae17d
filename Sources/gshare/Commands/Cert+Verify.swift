//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Cert {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Judge tenant certificates: would GlusterFS accept them, and do they meet gshare's policy?",
            discussion: """
                Two layers, both reported for every LEAF file:

                1. GlusterFS: OpenSSL set up as a GlusterFS server does it (purpose any, so EKU and \
                keyUsage are ignored; --depth intermediate CAs allowed, like ssl.certificate-depth; \
                the security level of a fresh SSL_CTX, which on Debian rejects RSA < 2048 and SHA-1/MD5 \
                signatures; with --crl, every CA in the chain needs a current CRL), and the name it \
                would authorise (first subject CN, raw bytes up to the first NUL).

                2. gshare tenant policy (what onboarding requires): CA:FALSE without keyCertSign/cRLSign; \
                extendedKeyUsage present with clientAuth; exactly one CN, UTF8String or PrintableString, \
                matching ^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$; RSA >= 2048, EC P-256/P-384/P-521 or \
                Ed25519; SHA-256 or stronger signatures; valid at --at; not revoked; within --depth; \
                RFC 5280 structure (serial, key identifiers, v3, no duplicate extensions…); with a \
                configuration (--config, $GSHARE_CONFIG, ./gshare.toml, /etc/gshare/gshare.toml), the \
                name is not one of its system_cns; with --key: the key matches, is not encrypted, and \
                is private to its owner (warning).

                A LEAF file may hold the leaf followed by its intermediates (a glusterfs.pem). \
                The trust store is built once for all files, which are judged in parallel.

                Exit status: 0 every certificate is valid under both layers; 1 at least one is \
                invalid (every reason is printed, with its fix); 2 could not run (a missing or \
                unreadable file, not a certificate, a bad --at).

                Example:
                  gshare cert verify tenant-a/glusterfs.pem --ca tenant-root.pem \\
                      --crl root.crl --crl int.crl --key tenant-a/glusterfs.key
                """
        )

        @Argument(help: "Certificate files to judge (PEM or DER; PEM may carry the chain after the leaf).", completion: .file())
        var leaves: [String] = []

        @Option(
            name: .customLong("leaves-from"),
            help: ArgumentHelp("Also judge the files listed in this file, one path per line ('-' = stdin). For thousands of files.", valueName: "file"),
            completion: .file())
        var leavesFrom: String?

        @Option(help: ArgumentHelp("The trust anchors: PEM file with the tenant root CA(s).", valueName: "file"), completion: .file())
        var ca: String

        @Option(help: ArgumentHelp("Intermediate CAs that may complete chains (not trusted themselves). Repeatable.", valueName: "file"), completion: .file())
        var untrusted: [String] = []

        @Option(help: ArgumentHelp("A CRL (PEM or DER). Repeatable. With any CRL, every CA in the chain needs one, as in GlusterFS.", valueName: "file"), completion: .file())
        var crl: [String] = []

        @Option(help: ArgumentHelp("Intermediate CAs allowed between leaf and root, as GlusterFS ssl.certificate-depth.", valueName: "n"))
        var depth: Int = 1

        @Option(help: ArgumentHelp("Judge validity at this RFC 3339 time instead of now, e.g. 2026-06-01T00:00:00Z.", valueName: "time"))
        var at: String?

        @Option(help: ArgumentHelp("The leaf's private key: checked to match, not encrypted, mode 0600. Only with one LEAF.", valueName: "file"), completion: .file())
        var key: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if leaves.isEmpty && leavesFrom == nil {
                throw ValidationError("give at least one LEAF certificate file (or --leaves-from FILE)")
            }
            guard (0...32).contains(depth) else {
                throw ValidationError("--depth must be between 0 and 32 (GlusterFS default: 1)")
            }
            if key != nil && (leaves.count != 1 || leavesFrom != nil) {
                throw ValidationError("--key checks one certificate: give exactly one LEAF with it")
            }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let list = try leavesFrom.map(CertificateWorkflows.pathList) ?? []
                let verification = try CertificateWorkflows.verify(
                    VerificationRequest(
                        leaves: leaves, leafList: list, caFile: ca, untrusted: untrusted, crls: crl, depth: depth, at: at, keyFile: key,
                        systemCNs: try ConfigurationWorkflow.systemCommonNames(configuration.source)))
                try cli.emit(VerifyDocument(verification)) { CertificateText.render(verification) }
                try cli.finish(verification.verdict)
            }
        }
    }
}

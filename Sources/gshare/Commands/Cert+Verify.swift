//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import TenantPKI

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
                with --key: the key matches, is not encrypted, and is private to its owner (warning).

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
            let verifier: CertificateVerifier
            let keyFile: PrivateKeyFile?
            let files: [String]
            do {
                files = try leaves + (leavesFrom.map(PathList.read) ?? [])
                let time = try at.map(RFC3339.parse)
                let store = try TrustStore(caFile: ca, untrustedFiles: untrusted, crlFiles: crl)
                verifier = CertificateVerifier(trustStore: store, options: VerificationOptions(depth: depth, time: time))
                keyFile = try key.map { try PrivateKeyFile(path: $0) }
            } catch let error as PKIError {
                Console.printError(error.description)
                throw ExitStatus.couldNotRun
            }

            let summaries = zip(files, verifier.verify(files: files, key: keyFile)).map { file, result in
                switch result {
                case .success(let report): VerificationSummary(file: file, report: report)
                case .failure(let error): VerificationSummary(file: file, error: error)
                }
            }
            let counts = VerifyDocument.Counts(
                valid: summaries.count { $0.valid == true }, invalid: summaries.count { $0.valid == false },
                couldNotVerify: summaries.count { $0.error != nil })

            if output.json {
                try Console.printJSON(VerifyDocument(depth: depth, results: summaries, counts: counts))
            } else {
                for summary in summaries {
                    if let error = summary.error {
                        Console.printError(error.message)
                    } else {
                        print(CertificateText.render(summary))
                    }
                }
                if summaries.count > 1 {
                    print("\(counts.valid) valid, \(counts.invalid) invalid, \(counts.couldNotVerify) could not be verified")
                }
            }
            if counts.couldNotVerify > 0 { throw ExitStatus.couldNotRun }
            if counts.invalid > 0 { throw ExitStatus.rejected }
        }
    }
}

/// The `--json` form of `gshare cert verify`.
struct VerifyDocument: Codable {
    struct Counts: Codable {
        let valid: Int
        let invalid: Int
        let couldNotVerify: Int
    }

    let depth: Int
    let results: [VerificationSummary]
    let counts: Counts
}

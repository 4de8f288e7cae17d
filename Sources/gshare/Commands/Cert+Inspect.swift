//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Cert {
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show what certificates say, and the name GlusterFS will authorise.",
            discussion: """
                Reads PEM files (one or several certificates each, e.g. a glusterfs.pem chain) or \
                DER files. For each certificate: subject, issuer, serial, validity, key, signature, \
                SANs, basicConstraints, keyUsage, extendedKeyUsage, SHA-256 fingerprint, and the \
                name GlusterFS authorises: the FIRST subject CN as raw bytes up to the first NUL. \
                gshare warns loudly when that differs from the decoded CN, or when there is no CN \
                or more than one.

                Exit status: 0 all files read; 2 a file could not be read or is not a certificate.
                """
        )

        @Argument(help: "Certificate files (PEM or DER).", completion: .file())
        var files: [String]

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let inspected = CertificateWorkflows.inspect(files)
                try cli.emit(InspectDocument(inspected)) { CertificateText.render(inspected) }
                try cli.finish(inspected.contains { $0.error != nil } ? .failed : .ok)
            }
        }
    }
}

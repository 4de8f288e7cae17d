//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import TenantPKI

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
            var documents: [InspectDocument.File] = []
            for file in files {
                do {
                    let summaries = try Certificate.load(fromFile: file).map(CertificateSummary.init)
                    documents.append(.init(file: file, certificates: summaries, error: nil))
                } catch let error as PKIError {
                    documents.append(.init(file: file, certificates: nil, error: .init(error)))
                }
            }
            if output.json {
                try Console.printJSON(InspectDocument(files: documents))
            } else {
                for document in documents {
                    if let error = document.error {
                        Console.printError(error.message)
                    } else {
                        print(CertificateText.render(file: document.file, certificates: document.certificates ?? []))
                    }
                }
            }
            if documents.contains(where: { $0.error != nil }) { throw ExitStatus.couldNotRun }
        }
    }
}

/// The `--json` form of `gshare cert inspect`.
struct InspectDocument: Codable {
    struct File: Codable {
        let file: String
        let certificates: [CertificateSummary]?
        let error: VerificationSummary.ErrorEntry?
    }

    let files: [File]
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

extension Certificate {
    /// Reads every certificate in a file: PEM (one or more `CERTIFICATE` blocks, as in a
    /// `glusterfs.pem` chain, leaf first) or a single DER certificate.
    ///
    /// - Parameter path: the file to read.
    /// - Returns: the certificates in file order; never empty.
    /// - Throws: ``PKIError`` naming the file: unreadable, empty, not a certificate,
    ///   damaged PEM, non-certificate PEM blocks, or data outside the PEM blocks.
    public static func load(fromFile path: String) throws -> [Certificate] {
        try parse(fileBytes: readFile(path).bytes, path: path)
    }

    /// Parses file contents as ``load(fromFile:)`` does; `path` only names the source in errors.
    public static func parse(fileBytes bytes: [UInt8], path: String) throws -> [Certificate] {
        if isBlank(bytes) {
            throw PKIError(.fileEmpty, path: path, reason: "the file is empty", hint: "give a PEM or DER certificate file")
        }
        guard PEM.looksLikePEM(bytes) else {
            do {
                return [try Certificate(derEncoded: bytes)]
            } catch let error as PKIError {
                throw PKIError(
                    .notACertificate, path: path,
                    reason: "the file is neither PEM (no -----BEGIN line) nor a DER certificate",
                    hint: "give a certificate file (PEM or DER); check you did not pass a key or a CSR",
                    openSSLErrors: error.openSSLErrors)
            }
        }
        var certificates: [Certificate] = []
        for (index, block) in try PEM.blocks(in: bytes, path: path).enumerated() {
            guard block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" else {
                let isKey = block.label.hasSuffix("PRIVATE KEY")
                throw PKIError(
                    .pemUnexpectedBlock, path: path,
                    reason: "PEM block \(index + 1) is a \(block.label), not a CERTIFICATE",
                    hint: isKey
                        ? "keep private keys out of certificate files (pass them with --key)"
                        : "give a file that holds only certificates")
            }
            certificates.append(try parseBlock(block, index: index, path: path))
        }
        return certificates
    }

    private static func parseBlock(_ block: PEMBlock, index: Int, path: String) throws -> Certificate {
        OpenSSLErrorQueue.clear()
        let x509: OpaquePointer? = block.bytes.withUnsafeBytes { raw in
            withMemoryBIO(raw) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
        }
        guard let x509 else {
            throw PKIError(
                .pemMalformed, path: path, reason: "PEM certificate block \(index + 1) cannot be decoded",
                hint: "the block's base64 or DER is damaged: export the certificate again",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        return Certificate(takingOwnership: x509)
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import struct Foundation.Date

/// A certificate revocation list, owned (`X509_CRL`), immutable after loading.
public final class RevocationList: @unchecked Sendable {  // pointer set once, only read afterwards
    let ref: OpaquePointer  // X509_CRL*, owned

    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { X509_CRL_free(ref) }

    /// The CRL issuer as an RFC 2253 string.
    public var issuer: String { Certificate.render(name: X509_CRL_get_issuer(ref)) }
    public var lastUpdate: Date { Certificate.date(X509_CRL_get0_lastUpdate(ref)) }
    public var nextUpdate: Date? { X509_CRL_get0_nextUpdate(ref).map { Certificate.date($0) } }

    /// Reads every CRL in a PEM file (`X509 CRL` blocks) or one DER CRL.
    /// - Throws: ``PKIError`` naming the file.
    public static func load(fromFile path: String) throws -> [RevocationList] {
        try parse(fileBytes: readFile(path).bytes, path: path)
    }

    /// Parses file contents as ``load(fromFile:)`` does; `path` only names the source in errors.
    static func parse(fileBytes bytes: [UInt8], path: String) throws -> [RevocationList] {
        if isBlank(bytes) {
            throw PKIError(.fileEmpty, path: path, reason: "the CRL file is empty", hint: "give a PEM or DER CRL")
        }
        OpenSSLErrorQueue.clear()
        if !PEM.looksLikePEM(bytes) {
            let crl: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
                var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_X509_CRL(nil, &cursor, buffer.count)
            }
            guard let crl else {
                throw PKIError(
                    .notACRL, path: path, reason: "the file is neither a PEM nor a DER CRL",
                    hint: "give the CRL file (-----BEGIN X509 CRL-----)", openSSLErrors: OpenSSLErrorQueue.drain())
            }
            return [RevocationList(takingOwnership: crl)]
        }
        return try PEM.blocks(in: bytes, path: path).enumerated().map { index, block in
            guard block.label == "X509 CRL" else {
                throw PKIError(
                    .notACRL, path: path, reason: "PEM block \(index + 1) is a \(block.label), not an X509 CRL",
                    hint: "give a file that holds only CRLs (a CA certificate here would not be a CRL)")
            }
            let crl: OpaquePointer? = block.bytes.withUnsafeBytes { raw in
                withMemoryBIO(raw) { bio in PEM_read_bio_X509_CRL(bio, nil, nil, nil) }
            }
            guard let crl else {
                throw PKIError(
                    .pemMalformed, path: path, reason: "CRL block \(index + 1) cannot be decoded",
                    hint: "the block is damaged: export the CRL again", openSSLErrors: OpenSSLErrorQueue.drain())
            }
            return RevocationList(takingOwnership: crl)
        }
    }
}

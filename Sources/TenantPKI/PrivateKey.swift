//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// A private key, owned (`EVP_PKEY`), immutable after loading.
public final class PrivateKey: @unchecked Sendable {  // pointer set once; EVP_PKEY is safe for concurrent reads
    let ref: OpaquePointer  // EVP_PKEY*, owned

    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { EVP_PKEY_free(ref) }

    /// Algorithm and size of the key.
    public var description: PublicKeyDescription { PublicKeyDescription(key: ref) }
}

/// A private-key file as found on disk: maybe encrypted, maybe too widely readable.
///
/// Loading never asks for a passphrase: an encrypted key is reported as such
/// (GlusterFS cannot use one either), not decrypted.
public struct PrivateKeyFile: Sendable {
    public let path: String
    /// The key, or nil when the file is encrypted.
    public let key: PrivateKey?
    public var isEncrypted: Bool { key == nil }
    /// The file's permission bits (e.g. `0o600`).
    public let mode: UInt32
    /// Group or others may read or write the file.
    public var isAccessibleByOthers: Bool { mode & 0o077 != 0 }

    /// Reads a PEM (PKCS#8 or traditional) or DER private key.
    /// - Throws: ``PKIError`` when the file cannot be read or holds no private key.
    public init(path: String) throws {
        let contents = try readFile(path)
        try self.init(bytes: contents.bytes, mode: contents.mode, path: path)
    }

    /// Parses file contents as ``init(path:)`` does; `path` only names the source in errors.
    init(bytes: [UInt8], mode: UInt32, path: String) throws {
        self.path = path
        self.mode = mode
        if isBlank(bytes) {
            throw PKIError(.fileEmpty, path: path, reason: "the key file is empty", hint: "give the PEM private key file")
        }
        OpenSSLErrorQueue.clear()
        var passphraseRequested: Int32 = 0
        let key: OpaquePointer? = bytes.withUnsafeBytes { raw in
            withMemoryBIO(raw) { bio -> OpaquePointer? in
                if let key = PEM_read_bio_PrivateKey(bio, nil, COpenSSL_refuse_passphrase_callback(), &passphraseRequested) {
                    return key
                }
                guard !PEM.looksLikePEM(bytes) else { return nil }
                _ = COpenSSL_BIO_reset(bio)
                return d2i_PrivateKey_bio(bio, nil)
            }
        }
        let errors = OpenSSLErrorQueue.drain()
        if let key {
            self.key = PrivateKey(takingOwnership: key)
        } else if passphraseRequested != 0 {
            self.key = nil
        } else {
            throw PKIError(
                .notAPrivateKey, path: path, reason: "the file is not a private key",
                hint: "give the PEM private key that belongs to the certificate", openSSLErrors: errors)
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// The key algorithms gshare issues (all of them pass the tenant policy).
public enum KeyType: String, Sendable, CaseIterable, Codable {
    case p256, p384, ed25519, rsa2048, rsa3072, rsa4096

    /// What the key is, for messages: `EC P-256`, `RSA 4096`…
    public var displayName: String {
        switch self {
        case .p256: "EC P-256"
        case .p384: "EC P-384"
        case .ed25519: "Ed25519"
        case .rsa2048: "RSA 2048"
        case .rsa3072: "RSA 3072"
        case .rsa4096: "RSA 4096"
        }
    }

    /// Parses a key type name, naming the accepted ones on failure.
    public init(validating text: String) throws {
        guard let type = KeyType(rawValue: text.lowercased()) else {
            throw PKIError(
                .unknownKeyType, path: "key type \"\(text)\"", reason: "not a key type gshare issues",
                hint: "use one of \(KeyType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = type
    }
}

extension PrivateKey {
    /// Generates a new key.
    /// > Warning: RSA generation takes from ~0.1 s (2048) to several seconds (4096) of CPU.
    public static func generate(_ type: KeyType) -> PrivateKey {
        let algorithm: String
        switch type {
        case .p256, .p384: algorithm = "EC"
        case .ed25519: algorithm = "ED25519"
        case .rsa2048, .rsa3072, .rsa4096: algorithm = "RSA"
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            fatalError("EVP_PKEY_CTX_new_from_name(\(algorithm)) failed: \(OpenSSLErrorQueue.drain())")
        }
        defer { EVP_PKEY_CTX_free(context) }
        precondition(EVP_PKEY_keygen_init(context) > 0, "EVP_PKEY_keygen_init failed")
        switch type {
        case .p256: precondition(EVP_PKEY_CTX_set_group_name(context, "P-256") > 0)
        case .p384: precondition(EVP_PKEY_CTX_set_group_name(context, "P-384") > 0)
        case .rsa2048: precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) > 0)
        case .rsa3072: precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(context, 3072) > 0)
        case .rsa4096: precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(context, 4096) > 0)
        case .ed25519: break
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &key) > 0, let key else {
            fatalError("EVP_PKEY_generate(\(type)) failed: \(OpenSSLErrorQueue.drain())")
        }
        return PrivateKey(takingOwnership: key)
    }

    /// The key as unencrypted PKCS#8 PEM (what `glusterfs.key` holds).
    public var pemBytes: [UInt8] {
        Array(stringFromMemoryBIO { bio in _ = PEM_write_bio_PrivateKey(bio, ref, nil, nil, 0, nil, nil) }.utf8)
    }

    /// The digest to sign with this key: none for EdDSA, SHA-384 for P-384, else SHA-256.
    var signingDigest: OpaquePointer? {
        switch EVP_PKEY_get_base_id(ref) {
        case EVP_PKEY_ED25519, EVP_PKEY_ED448: nil
        case EVP_PKEY_EC where EVP_PKEY_get_bits(ref) >= 384: EVP_sha384()
        default: EVP_sha256()
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// The ASN.1 string type of a name attribute.
public enum ASN1StringType: Sendable, Hashable, CustomStringConvertible {
    case utf8String, printableString, ia5String, teletexString, bmpString, universalString, other(Int)

    init(tag: Int32) {
        switch tag {
        case V_ASN1_UTF8STRING: self = .utf8String
        case V_ASN1_PRINTABLESTRING: self = .printableString
        case V_ASN1_IA5STRING: self = .ia5String
        case V_ASN1_T61STRING: self = .teletexString
        case V_ASN1_BMPSTRING: self = .bmpString
        case V_ASN1_UNIVERSALSTRING: self = .universalString
        default: self = .other(Int(tag))
        }
    }

    public var description: String {
        switch self {
        case .utf8String: "UTF8String"
        case .printableString: "PrintableString"
        case .ia5String: "IA5String"
        case .teletexString: "TeletexString"
        case .bmpString: "BMPString"
        case .universalString: "UniversalString"
        case .other(let tag): "ASN.1 type \(tag)"
        }
    }
}

/// One commonName attribute of a subject, exactly as encoded.
public struct CommonNameAttribute: Sendable, Hashable {
    /// The attribute's content bytes, undecoded (what GlusterFS reads).
    public let bytes: [UInt8]
    public let stringType: ASN1StringType

    /// The value decoded for display: UTF-16BE for BMPString, UTF-32BE for
    /// UniversalString, else UTF-8; control bytes and NUL are shown escaped (`\x00`).
    public var displayText: String {
        let decoded: String
        switch stringType {
        case .bmpString where bytes.count % 2 == 0:
            let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            decoded = String(decoding: units, as: UTF16.self)
        case .universalString where bytes.count % 4 == 0:
            let scalars = stride(from: 0, to: bytes.count, by: 4).compactMap { i -> Unicode.Scalar? in
                Unicode.Scalar(bytes[i..<i + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
            decoded = String(String.UnicodeScalarView(scalars))
        default:
            decoded = String(decoding: bytes, as: UTF8.self)
        }
        return escapingControlCharacters(decoded)
    }
}

/// Shows a string with control characters (NUL included) as `\xNN` escapes.
func escapingControlCharacters(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || scalar.value == 0x7F {
            result += "\\x" + hexByte(UInt8(scalar.value)).lowercased()
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// The algorithm and strength of a public (or private) key.
public struct PublicKeyDescription: Sendable, Hashable, CustomStringConvertible {
    public enum Algorithm: Sendable, Hashable, CustomStringConvertible {
        case rsa, rsaPSS, ec(curve: String), ed25519, ed448, dsa, unknown(String)

        public var description: String {
            switch self {
            case .rsa: "RSA"
            case .rsaPSS: "RSA-PSS"
            case .ec(let curve): "EC \(curve)"
            case .ed25519: "Ed25519"
            case .ed448: "Ed448"
            case .dsa: "DSA"
            case .unknown(let name): name
            }
        }
    }

    public let algorithm: Algorithm
    public let bits: Int

    init(algorithm: Algorithm, bits: Int) {
        self.algorithm = algorithm
        self.bits = bits
    }

    init(key: OpaquePointer) {
        let bits = Int(EVP_PKEY_get_bits(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA: self.init(algorithm: .rsa, bits: bits)
        case EVP_PKEY_RSA_PSS: self.init(algorithm: .rsaPSS, bits: bits)
        case EVP_PKEY_ED25519: self.init(algorithm: .ed25519, bits: bits)
        case EVP_PKEY_ED448: self.init(algorithm: .ed448, bits: bits)
        case EVP_PKEY_DSA: self.init(algorithm: .dsa, bits: bits)
        case EVP_PKEY_EC:
            var buffer = [CChar](repeating: 0, count: 80)
            var length = 0
            let curve = EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1
                ? Self.standardCurveName(string(fromCString: buffer)) : "unknown curve"
            self.init(algorithm: .ec(curve: curve), bits: bits)
        default:
            let name = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            self.init(algorithm: .unknown(name), bits: bits)
        }
    }

    /// NIST names for the curves people know by them.
    static func standardCurveName(_ openSSLName: String) -> String {
        switch openSSLName {
        case "prime256v1", "P-256": "P-256"
        case "secp384r1", "P-384": "P-384"
        case "secp521r1", "P-521": "P-521"
        default: openSSLName
        }
    }

    public var description: String {
        switch algorithm {
        case .ec, .ed25519, .ed448: algorithm.description
        default: "\(algorithm) \(bits)"
        }
    }
}

/// The basicConstraints extension.
public struct BasicConstraints: Sendable, Hashable, CustomStringConvertible {
    public let isCA: Bool
    public let pathLength: Int?
    public let critical: Bool

    public var description: String {
        var text = isCA ? "CA:TRUE" : "CA:FALSE"
        if let pathLength { text += ", pathlen:\(pathLength)" }
        return critical ? "critical, " + text : text
    }
}

/// The keyUsage extension (bit values as OpenSSL reports them).
public struct KeyUsage: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public let critical: Bool

    static let names: [(UInt32, String)] = [
        (UInt32(KU_DIGITAL_SIGNATURE), "digitalSignature"), (UInt32(KU_NON_REPUDIATION), "nonRepudiation"),
        (UInt32(KU_KEY_ENCIPHERMENT), "keyEncipherment"), (UInt32(KU_DATA_ENCIPHERMENT), "dataEncipherment"),
        (UInt32(KU_KEY_AGREEMENT), "keyAgreement"), (UInt32(KU_KEY_CERT_SIGN), "keyCertSign"),
        (UInt32(KU_CRL_SIGN), "cRLSign"), (UInt32(KU_ENCIPHER_ONLY), "encipherOnly"),
        (UInt32(KU_DECIPHER_ONLY), "decipherOnly"),
    ]

    /// The usages set, by their RFC 5280 names.
    public var usages: [String] { Self.names.filter { rawValue & $0.0 != 0 }.map(\.1) }
    /// keyCertSign or cRLSign: the key may sign certificates or CRLs.
    public var allowsSigningCertificatesOrCRLs: Bool { rawValue & UInt32(KU_KEY_CERT_SIGN | KU_CRL_SIGN) != 0 }

    public var description: String { (critical ? ["critical"] : []).appending(contentsOf: usages).joined(separator: ", ") }
}

/// The extendedKeyUsage extension: purposes by short name (`clientAuth`…) or dotted OID.
public struct ExtendedKeyUsage: Sendable, Hashable, CustomStringConvertible {
    public let purposes: [String]
    public let critical: Bool

    public var allowsClientAuthentication: Bool { purposes.contains("clientAuth") }
    public var description: String { (critical ? ["critical"] : []).appending(contentsOf: purposes).joined(separator: ", ") }
}

extension Array {
    fileprivate func appending(contentsOf other: [Element]) -> [Element] { self + other }
}

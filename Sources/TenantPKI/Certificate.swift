//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import struct Foundation.Date

/// An X.509 certificate, parsed once by OpenSSL and immutable afterwards.
///
/// `Certificate` owns one OpenSSL `X509` object and frees it when released. It is
/// `Sendable`: the pointer is set once in `init` and never mutated, and OpenSSL
/// allows concurrent reads of a parsed `X509` (extension caching is locked inside).
public final class Certificate: @unchecked Sendable {
    let ref: OpaquePointer  // X509*, owned

    /// Adopts an `X509*`; the caller gives up its reference.
    init(takingOwnership ref: OpaquePointer) {
        self.ref = ref
    }

    /// Adopts a borrowed `X509*` by taking a new reference to it.
    convenience init(borrowing ref: OpaquePointer) {
        X509_up_ref(ref)
        self.init(takingOwnership: ref)
    }

    deinit { X509_free(ref) }

    /// Parses one DER-encoded certificate. All bytes must belong to it.
    ///
    /// - Throws: ``PKIError/Code-swift.struct/notACertificate`` when the bytes are not
    ///   exactly one certificate.
    public convenience init(derEncoded der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            if let cursor, let base = buffer.baseAddress, cursor - base != buffer.count {
                X509_free(x509)
                return nil
            }
            return x509
        }
        guard let parsed else {
            throw PKIError(
                .notACertificate, reason: "the bytes are not a DER-encoded X.509 certificate",
                hint: "give a PEM (-----BEGIN CERTIFICATE-----) or DER certificate file",
                openSSLErrors: OpenSSLErrorQueue.drain())
        }
        self.init(takingOwnership: parsed)
    }

    /// The certificate's DER encoding.
    public var derBytes: [UInt8] {
        let length = i2d_X509(ref, nil)
        guard length > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, count in
            var cursor = buffer.baseAddress
            count = Int(i2d_X509(ref, &cursor))
        }
    }

    /// The certificate as one PEM block.
    public var pemString: String {
        stringFromMemoryBIO { bio in _ = PEM_write_bio_X509(bio, ref) }
    }

    // MARK: Names

    /// The subject as an RFC 2253 string (UTF-8, most specific attribute first).
    public var subject: String { Self.render(name: X509_get_subject_name(ref)) }
    /// The issuer as an RFC 2253 string.
    public var issuer: String { Self.render(name: X509_get_issuer_name(ref)) }

    static func render(name: OpaquePointer?) -> String {
        guard let name else { return "" }
        // RFC 2253 without escaping bytes above 0x7F, so UTF-8 names read as text.
        let flags = UInt(XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN | XN_FLAG_DUMP_UNKNOWN_FIELDS)
            | UInt(ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT | ASN1_STRFLGS_DUMP_UNKNOWN
                | ASN1_STRFLGS_DUMP_DER)
        return stringFromMemoryBIO { bio in _ = X509_NAME_print_ex(bio, name, 0, flags) }
    }

    /// Every commonName attribute of the subject, in encoding order.
    public var subjectCommonNames: [CommonNameAttribute] {
        guard let name = X509_get_subject_name(ref) else { return [] }
        var result: [CommonNameAttribute] = []
        var index: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(name, NID_commonName, index)
            if index < 0 { break }
            guard let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) else {
                continue
            }
            result.append(CommonNameAttribute(
                bytes: asn1Bytes(data), stringType: ASN1StringType(tag: ASN1_STRING_type(data))))
        }
        return result
    }

    /// The name GlusterFS authorises for this certificate. See ``GlusterFSName``.
    public var glusterFSName: GlusterFSName { GlusterFSName(certificate: self) }

    // MARK: Identity

    /// The serial number in upper-case hexadecimal (no separators).
    public var serialNumberHex: String {
        guard let serial = X509_get0_serialNumber(ref), let bn = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { COpenSSL_free(hex) }
        return String(cString: hex)
    }

    /// SHA-256 over the DER encoding, as colon-separated upper-case hex.
    public var sha256Fingerprint: String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(ref, EVP_sha256(), &digest, &length) == 1 else { return "" }
        return hexString(digest.prefix(Int(length)), separator: UInt8(ascii: ":"))
    }

    // MARK: Validity

    public var notBefore: Date { Self.date(X509_get0_notBefore(ref)) }
    public var notAfter: Date { Self.date(X509_get0_notAfter(ref)) }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        guard let time else { return Date(timeIntervalSince1970: 0) }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: Double(timegm(&tm)))
    }

    // MARK: Keys and signatures

    /// The subject public key's algorithm and strength.
    public var publicKey: PublicKeyDescription {
        guard let key = X509_get0_pubkey(ref) else { return PublicKeyDescription(algorithm: .unknown("none"), bits: 0) }
        return PublicKeyDescription(key: key)
    }

    /// The signature algorithm, e.g. `ecdsa-with-SHA256`, `sha1WithRSAEncryption`, `ED25519`.
    public var signatureAlgorithm: String {
        let nid = X509_get_signature_nid(ref)
        guard nid != NID_undef, let name = OBJ_nid2ln(nid) else { return "unknown" }
        return String(cString: name)
    }

    /// The digest inside the signature (`SHA256`, `SHA1`, `MD5`…), or nil for digest-less
    /// schemes such as Ed25519.
    public var signatureDigest: String? {
        guard let info = signatureInfo, info.digest != NID_undef, let name = OBJ_nid2sn(info.digest) else { return nil }
        return String(cString: name)
    }

    /// Whether the signature algorithm is strong enough for gshare's tenant policy:
    /// SHA-256 or stronger (SHA-2/SHA-3 256–512), or a digest-less EdDSA scheme.
    var hasStrongSignatureHash: Bool {
        guard let info = signatureInfo else { return false }
        if info.digest == NID_undef { return info.publicKey == NID_ED25519 || info.publicKey == NID_ED448 }
        return [NID_sha256, NID_sha384, NID_sha512, NID_sha3_256, NID_sha3_384, NID_sha3_512].contains(info.digest)
    }

    /// The digest and public-key algorithm NIDs of the signature (RSA-PSS parameters included).
    private var signatureInfo: (digest: Int32, publicKey: Int32)? {
        var digest: Int32 = 0
        var publicKey: Int32 = 0
        var securityBits: Int32 = 0
        var flags: UInt32 = 0
        guard X509_get_signature_info(ref, &digest, &publicKey, &securityBits, &flags) == 1 else { return nil }
        return (digest, publicKey)
    }

    /// Whether `key` is the private half of this certificate's public key.
    public func matches(_ key: PrivateKey) -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        return X509_check_private_key(ref, key.ref) == 1
    }

    // MARK: Extensions

    /// The basicConstraints extension, or nil when absent.
    public var basicConstraints: BasicConstraints? {
        let index = X509_get_ext_by_NID(ref, NID_basic_constraints, -1)
        guard index >= 0 else { return nil }
        let critical = X509_EXTENSION_get_critical(X509_get_ext(ref, index)) == 1
        let flags = X509_get_extension_flags(ref)
        let pathLength = X509_get_pathlen(ref)
        return BasicConstraints(
            isCA: flags & UInt32(EXFLAG_CA) != 0, pathLength: pathLength >= 0 ? Int(pathLength) : nil,
            critical: critical)
    }

    /// The keyUsage extension, or nil when absent.
    public var keyUsage: KeyUsage? {
        let index = X509_get_ext_by_NID(ref, NID_key_usage, -1)
        guard index >= 0 else { return nil }
        let critical = X509_EXTENSION_get_critical(X509_get_ext(ref, index)) == 1
        let bits = X509_get_key_usage(ref)
        return KeyUsage(rawValue: bits == UInt32.max ? 0 : bits, critical: critical)
    }

    /// The extendedKeyUsage extension, or nil when absent.
    public var extendedKeyUsage: ExtendedKeyUsage? {
        var critical: Int32 = 0
        guard let raw = X509_get_ext_d2i(ref, NID_ext_key_usage, &critical, nil) else {
            if X509_get_ext_by_NID(ref, NID_ext_key_usage, -1) >= 0 {
                return ExtendedKeyUsage(purposes: ["(malformed)"], critical: false)
            }
            return nil
        }
        let stack = OpaquePointer(raw)
        defer { COpenSSL_EXTENDED_KEY_USAGE_free(stack) }
        var purposes: [String] = []
        for i in 0..<COpenSSL_sk_ASN1_OBJECT_num(stack) {
            guard let object = COpenSSL_sk_ASN1_OBJECT_value(stack, i) else { continue }
            purposes.append(objectName(object))
        }
        return ExtendedKeyUsage(purposes: purposes, critical: critical == 1)
    }

    /// Subject alternative names, rendered as `DNS:…`, `IP:…`, `email:…`, `URI:…`.
    public var subjectAlternativeNames: [String] { subjectAlternativeNameEntries.map(\.description) }

    /// OpenSSL found an extension it could not decode while caching extension flags.
    var hasInvalidExtensions: Bool { X509_get_extension_flags(ref) & UInt32(EXFLAG_INVALID) != 0 }

    /// Whether OpenSSL's "TLS client" purpose accepts this certificate in the given role
    /// (what `openssl verify -purpose sslclient` checks for each chain element).
    func passesClientPurpose(asCA: Bool) -> Bool {
        X509_check_purpose(ref, X509_PURPOSE_SSL_CLIENT, asCA ? 1 : 0) == 1
    }

    /// True when subject and issuer names are equal (a self-issued certificate).
    var isSelfIssued: Bool { X509_NAME_cmp(X509_get_subject_name(ref), X509_get_issuer_name(ref)) == 0 }
}

extension Certificate: Equatable, Hashable, CustomStringConvertible {
    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { X509_cmp(lhs.ref, rhs.ref) == 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }
    public var description: String { "<Certificate subject=\(subject) serial=\(serialNumberHex)>" }
}

// MARK: - Small helpers shared by the module

private let upperHexDigits = Array("0123456789ABCDEF".utf8)

func hexByte(_ byte: UInt8) -> String { hexString(CollectionOfOne(byte)) }

/// Upper-case hex of `bytes`, optionally separated (e.g. `AB:CD`), built in one buffer.
func hexString(_ bytes: some Collection<UInt8>, separator: UInt8? = nil) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 3)
    for byte in bytes {
        if let separator, !text.isEmpty { text.append(separator) }
        text.append(upperHexDigits[Int(byte >> 4)])
        text.append(upperHexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// The content bytes of an ASN1_STRING (any string type, octet strings included).
func asn1Bytes(_ string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
    guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
}

/// The short name of an OID when OpenSSL knows one, else its dotted form.
func objectName(_ object: OpaquePointer) -> String {
    let nid = OBJ_obj2nid(object)
    if nid != NID_undef, let name = OBJ_nid2sn(nid) { return String(cString: name) }
    var buffer = [CChar](repeating: 0, count: 128)
    let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
    return length > 0 ? string(fromCString: buffer) : "(unknown OID)"
}

/// True for an empty file or one holding only whitespace.
func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } }

/// The text of a NUL-terminated C buffer.
func string(fromCString buffer: [CChar]) -> String {
    String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func formatIPAddress(_ bytes: [UInt8]) -> String {
    switch bytes.count {
    case 4:
        return bytes.map(String.init).joined(separator: ".")
    case 16:
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    default:
        return bytes.map { hexByte($0) }.joined()
    }
}

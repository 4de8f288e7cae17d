//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// How a certificate's serialNumber is encoded (RFC 5280 4.1.2.2: positive, at most 20
/// octets).
struct SerialNumberEncoding: Sendable, Hashable {
    let isNegative: Bool
    let isZero: Bool
    /// The length of the DER INTEGER's contents, sign octet included.
    let contentOctets: Int
}

/// What a certificate's authorityKeyIdentifier gives (RFC 5280 4.2.1.1).
enum AuthorityKeyIdentifierState: Sendable, Hashable {
    case missing
    /// Present, but with only authorityCertIssuer/SerialNumber: no keyIdentifier.
    case withoutKeyIdentifier
    /// Present, but its contents are not an AuthorityKeyIdentifier.
    case undecodable
    case present
}

/// One subjectAltName entry as encoded: the raw bytes of the name, undecoded.
enum GeneralNameEntry: Sendable, Hashable, CustomStringConvertible {
    case dns([UInt8]), email([UInt8]), uri([UInt8]), ipAddress([UInt8]), directoryName(String), other(Int32)

    /// `DNS:…`, `email:…`, `URI:…`, `IP:…`, `DirName:…`, `other:<type>`.
    var description: String {
        switch self {
        case .dns(let bytes): "DNS:\(String(decoding: bytes, as: UTF8.self))"
        case .email(let bytes): "email:\(String(decoding: bytes, as: UTF8.self))"
        case .uri(let bytes): "URI:\(String(decoding: bytes, as: UTF8.self))"
        case .ipAddress(let bytes): "IP:\(formatIPAddress(bytes))"
        case .directoryName(let name): "DirName:\(name)"
        case .other(let type): "other:\(type)"
        }
    }
}

/// The RFC 5280 structure of a certificate, as the tenant policy's structural checks
/// read it: version, serial number, key identifiers, the extension list, name constraints.
extension Certificate {
    /// The X.509 version: 1, 2 or 3.
    var version: Int { Int(X509_get_version(ref)) + 1 }

    var serialNumberEncoding: SerialNumberEncoding {
        guard let serial = X509_get0_serialNumber(ref), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            return SerialNumberEncoding(isNegative: false, isZero: false, contentOctets: 0)
        }
        defer { BN_free(number) }
        // The DER TLV's length less its tag and length octets.
        let total = Int(i2d_ASN1_INTEGER(serial, nil))
        let content = total - 2 < 0x80 ? total - 2 : total - 3 < 0x100 ? total - 3 : total - 4
        return SerialNumberEncoding(
            isNegative: BN_is_negative(number) == 1, isZero: BN_is_zero(number) == 1, contentOctets: max(content, 0))
    }

    var authorityKeyIdentifierState: AuthorityKeyIdentifierState {
        let (present, decoded) = decodeFirstExtension(NID_authority_key_identifier)
        guard present else { return .missing }
        guard let decoded else { return .undecodable }
        let identifier = decoded.assumingMemoryBound(to: AUTHORITY_KEYID.self)
        defer { AUTHORITY_KEYID_free(identifier) }
        return identifier.pointee.keyid == nil ? .withoutKeyIdentifier : .present
    }

    /// The first extension of type `nid`, decoded; the caller frees `decoded` with the
    /// type's free function. Unlike `X509_get_ext_d2i` (and OpenSSL's cached values, which a
    /// certificate with any broken extension does not get), a duplicated extension decodes.
    private func decodeFirstExtension(_ nid: Int32) -> (present: Bool, decoded: UnsafeMutableRawPointer?) {
        let index = X509_get_ext_by_NID(ref, nid, -1)
        guard index >= 0, let extensionData = X509_get_ext(ref, index) else { return (false, nil) }
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        return (true, X509V3_EXT_d2i(extensionData))
    }

    var hasExtensions: Bool { X509_get_ext_count(ref) > 0 }

    var hasSubjectKeyIdentifier: Bool { X509_get_ext_by_NID(ref, NID_subject_key_identifier, -1) >= 0 }

    var hasNameConstraints: Bool { X509_get_ext_by_NID(ref, NID_name_constraints, -1) >= 0 }

    /// Signed by its own key, as OpenSSL judges it without checking the signature (subject
    /// and issuer equal, key identifiers and keyUsage consistent): a root.
    var isSelfSigned: Bool { X509_self_signed(ref, 0) == 1 }

    /// Every extension type that occurs more than once, with its number of copies.
    var duplicatedExtensions: [(name: String, copies: Int)] {
        var seen: [(object: OpaquePointer, copies: Int)] = []
        for index in 0..<X509_get_ext_count(ref) {
            guard let object = X509_get_ext(ref, index).flatMap({ X509_EXTENSION_get_object($0) }) else { continue }
            if let known = seen.firstIndex(where: { OBJ_cmp($0.object, object) == 0 }) {
                seen[known].copies += 1
            } else {
                seen.append((object, 1))
            }
        }
        return seen.filter { $0.copies > 1 }.map { (objectName($0.object), $0.copies) }
    }

    /// The critical extensions OpenSSL does not know (each one makes it reject the
    /// certificate: X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION).
    var unsupportedCriticalExtensions: [String] {
        (0..<X509_get_ext_count(ref)).compactMap { index in
            guard let extensionData = X509_get_ext(ref, index), X509_EXTENSION_get_critical(extensionData) == 1,
                X509_supported_extension(extensionData) == 0, let object = X509_EXTENSION_get_object(extensionData)
            else { return nil }
            return objectName(object)
        }
    }

    /// The subjectAltName entries in encoding order, bytes as encoded.
    var subjectAlternativeNameEntries: [GeneralNameEntry] {
        guard let raw = decodeFirstExtension(NID_subject_alt_name).decoded else { return [] }
        let names = OpaquePointer(raw)
        defer { COpenSSL_GENERAL_NAMES_free(names) }
        return (0..<COpenSSL_sk_GENERAL_NAME_num(names)).compactMap { index in
            guard let name = COpenSSL_sk_GENERAL_NAME_value(names, index) else { return nil }
            var type: Int32 = 0
            let value = GENERAL_NAME_get0_value(name, &type)
            let bytes = { value.map { asn1Bytes($0.assumingMemoryBound(to: ASN1_STRING.self)) } ?? [] }
            switch type {
            case GEN_DNS: return .dns(bytes())
            case GEN_EMAIL: return .email(bytes())
            case GEN_URI: return .uri(bytes())
            case GEN_IPADD: return .ipAddress(bytes())
            case GEN_DIRNAME: return .directoryName(Self.render(name: value.map { OpaquePointer($0) }))
            default: return .other(type)
            }
        }
    }
}

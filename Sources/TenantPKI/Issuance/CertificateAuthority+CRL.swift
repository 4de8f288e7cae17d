//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import Foundation

extension CertificateAuthority {
    /// Signs a new v2 CRL (CRL number, authorityKeyIdentifier) listing every certificate
    /// the record marks revoked. Takes the next CRL number.
    public func issueCRL(days: Int = 30, now: Date = Date()) throws -> RevocationList {
        guard (1...3650).contains(days) else {
            throw PKIError(.issuanceRefused, path: "--days \(days)", reason: "a CRL must be valid 1 to 3650 days", hint: "choose a sensible --days")
        }
        let revoked = try records().filter { $0.status == .revoked }
        let number = try takeCRLNumber()
        OpenSSLErrorQueue.clear()
        guard let crl = X509_CRL_new() else { fatalError("X509_CRL_new failed: out of memory") }
        let list = RevocationList(takingOwnership: crl)  // frees on every path
        func check(_ ok: Bool, _ step: String) throws {
            guard ok else {
                throw PKIError(
                    .openSSLFailure, path: directory, reason: "OpenSSL failed to \(step) of the CRL",
                    hint: "this is a bug in gshare or OpenSSL; report it with the message", openSSLErrors: OpenSSLErrorQueue.drain())
            }
        }
        try check(X509_CRL_set_version(crl, 1) == 1, "set the version")
        try check(X509_CRL_set_issuer_name(crl, X509_get_subject_name(certificate.ref)) == 1, "set the issuer")
        try withASN1Time(now) { try check(X509_CRL_set1_lastUpdate(crl, $0) == 1, "set lastUpdate") }
        try withASN1Time(now.addingTimeInterval(Double(days) * 86400)) { try check(X509_CRL_set1_nextUpdate(crl, $0) == 1, "set nextUpdate") }
        for record in revoked {
            guard let entry = X509_REVOKED_new() else { fatalError("X509_REVOKED_new failed: out of memory") }
            var added = false
            defer { if !added { X509_REVOKED_free(entry) } }
            guard let serial = Self.asn1Integer(hex: record.serial) else {
                throw PKIError(.notACertificateAuthority, path: "\(directory)/issued.tsv", reason: "serial \(record.serial) is not hex", hint: "repair the record")
            }
            defer { ASN1_INTEGER_free(serial) }
            try check(X509_REVOKED_set_serialNumber(entry, serial) == 1, "list a serial")
            try withASN1Time(record.revokedAt ?? now) { try check(X509_REVOKED_set_revocationDate(entry, $0) == 1, "set a revocation date") }
            if let reason = record.reason, reason != .unspecified {
                guard let code = ASN1_ENUMERATED_new() else { fatalError("out of memory") }
                defer { ASN1_ENUMERATED_free(code) }
                try check(ASN1_ENUMERATED_set(code, reason.code) == 1, "set a reason")
                try check(X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, code, 0, 0) == 1, "add a reason")
            }
            try check(X509_CRL_add0_revoked(crl, entry) == 1, "add a revoked entry")
            added = true
        }
        try check(X509_CRL_sort(crl) == 1, "sort")
        guard let crlNumber = ASN1_INTEGER_new() else { fatalError("out of memory") }
        defer { ASN1_INTEGER_free(crlNumber) }
        try check(ASN1_INTEGER_set(crlNumber, number) == 1, "set the CRL number")
        try check(X509_CRL_add1_ext_i2d(crl, NID_crl_number, crlNumber, 0, 0) == 1, "add the CRL number")
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate.ref, nil, nil, crl, 0)
        guard let authorityKeyIdentifier = X509V3_EXT_nconf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
            try check(false, "build the authorityKeyIdentifier")
            return list
        }
        defer { X509_EXTENSION_free(authorityKeyIdentifier) }
        try check(X509_CRL_add_ext(crl, authorityKeyIdentifier, -1) == 1, "add the authorityKeyIdentifier")
        try check(X509_CRL_sign(crl, key.ref, key.signingDigest) > 0, "sign")
        return list
    }

    static func asn1Integer(hex: String) -> UnsafeMutablePointer<ASN1_INTEGER>? {
        var number: OpaquePointer? = nil
        guard BN_hex2bn(&number, hex) > 0, let number else { return nil }
        defer { BN_free(number) }
        return BN_to_ASN1_INTEGER(number, nil)
    }
}

private func withASN1Time<R>(_ date: Date, _ body: (UnsafeMutablePointer<ASN1_TIME>) throws -> R) throws -> R {
    guard let time = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970)) else { fatalError("ASN1_TIME_set: out of memory") }
    defer { ASN1_STRING_free(time) }
    return try body(time)
}

extension RevocationList {
    /// The CRL as one PEM block.
    public var pemString: String { stringFromMemoryBIO { bio in _ = PEM_write_bio_X509_CRL(bio, ref) } }

    /// The file name `openssl rehash` gives this CRL in a CApath directory, before the
    /// collision suffix: the issuer-name hash, 8 hex digits (`<hash>.r0`).
    public var issuerNameHash: String {
        var ok: Int32 = 0
        let hash = X509_NAME_hash_ex(X509_CRL_get_issuer(ref), nil, nil, &ok)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// The CRL number extension, if present.
    public var number: Int? {
        guard let raw = X509_CRL_get_ext_d2i(ref, NID_crl_number, nil, nil) else { return nil }
        let integer = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
        defer { ASN1_INTEGER_free(integer) }
        return Int(ASN1_INTEGER_get(integer))
    }

    /// Serial numbers listed as revoked, upper-case hex.
    public var revokedSerials: [String] {
        guard let entries = X509_CRL_get_REVOKED(ref) else { return [] }
        return (0..<COpenSSL_sk_X509_REVOKED_num(entries)).compactMap { index in
            guard let entry = COpenSSL_sk_X509_REVOKED_value(entries, index),
                let serial = X509_REVOKED_get0_serialNumber(entry), let number = ASN1_INTEGER_to_BN(serial, nil)
            else { return nil }
            defer { BN_free(number) }
            guard let hex = BN_bn2hex(number) else { return nil }
            defer { COpenSSL_free(hex) }
            return String(cString: hex)
        }
    }
}

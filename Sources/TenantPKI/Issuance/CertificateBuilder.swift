//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
import struct Foundation.Date

/// What goes into one certificate. Extensions are OpenSSL configuration values
/// (`critical,CA:TRUE,pathlen:0`), applied in order.
struct CertificateTemplate {
    var commonName: String
    var notBefore: Date
    var notAfter: Date
    var extensions: [(nid: Int32, value: String)]
}

/// Builds and signs X.509 v3 certificates with OpenSSL. Internal: callers go through
/// ``CertificateAuthority``, which decides profiles, validity and serials.
enum CertificateBuilder {
    /// Signs `template` for `subjectKey`. With `issuer` nil the certificate is self-signed.
    static func sign(
        _ template: CertificateTemplate, subjectKey: PrivateKey, issuer: (certificate: Certificate, key: PrivateKey)?
    ) throws -> Certificate {
        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { fatalError("X509_new failed: out of memory") }
        let certificate = Certificate(takingOwnership: x509)  // frees x509 on every path
        func check(_ ok: Bool, _ step: String) throws {
            guard ok else {
                throw PKIError(
                    .openSSLFailure, path: "certificate \"\(template.commonName)\"", reason: "OpenSSL failed to \(step)",
                    hint: "this is a bug in gshare or OpenSSL; report it with the message",
                    openSSLErrors: OpenSSLErrorQueue.drain())
            }
        }
        try check(X509_set_version(x509, 2) == 1, "set the version")
        try check(setRandomSerial(x509), "set the serial number")
        try check(ASN1_TIME_set(X509_getm_notBefore(x509), time_t(template.notBefore.timeIntervalSince1970)) != nil, "set notBefore")
        try check(ASN1_TIME_set(X509_getm_notAfter(x509), time_t(template.notAfter.timeIntervalSince1970)) != nil, "set notAfter")
        try check(setSubject(x509, commonName: template.commonName), "set the subject")
        let issuerCertificate = issuer?.certificate ?? certificate
        try check(X509_set_issuer_name(x509, X509_get_subject_name(issuerCertificate.ref)) == 1, "set the issuer")
        try check(X509_set_pubkey(x509, subjectKey.ref) == 1, "set the public key")

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuerCertificate.ref, x509, nil, nil, 0)
        if issuer == nil {
            // Self-signed: the issuer key is the subject key (for keyid:always).
            try check(X509V3_set_issuer_pkey(&context, subjectKey.ref) == 1, "set the issuer key")
        }
        for (nid, value) in template.extensions {
            guard let extensionData = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
                try check(false, "build the extension \(String(cString: OBJ_nid2sn(nid))) = \(value)")
                continue
            }
            defer { X509_EXTENSION_free(extensionData) }
            try check(X509_add_ext(x509, extensionData, -1) == 1, "add an extension")
        }
        let signer = issuer?.key ?? subjectKey
        try check(X509_sign(x509, signer.ref, signer.signingDigest) > 0, "sign the certificate")
        return certificate
    }

    /// A positive serial with 159 random bits (20 bytes, top bit clear, next bit set so
    /// the encoding is always 20 bytes) — well above RFC 5280's and CA/B's 64-bit minimum.
    private static func setRandomSerial(_ x509: OpaquePointer) -> Bool {
        guard let serial = randomSerial() else { return false }
        defer { ASN1_INTEGER_free(serial) }
        return X509_set_serialNumber(x509, serial) == 1
    }

    static func randomSerial() -> UnsafeMutablePointer<ASN1_INTEGER>? {
        var bytes = [UInt8](repeating: 0, count: 20)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { return nil }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { return nil }
        defer { BN_free(number) }
        return BN_to_ASN1_INTEGER(number, nil)
    }

    private static func setSubject(_ x509: OpaquePointer, commonName: String) -> Bool {
        guard let name = X509_NAME_new() else { return false }
        defer { X509_NAME_free(name) }
        let bytes = Array(commonName.utf8)
        guard X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
            return false
        }
        return X509_set_subject_name(x509, name) == 1
    }
}

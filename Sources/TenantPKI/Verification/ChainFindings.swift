//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
import struct Foundation.Date

/// Turns OpenSSL verification errors into findings that name the certificate and the fix.
/// Chain errors count against both layers: GlusterFS refuses such a certificate.
enum ChainFindings {
    static func finding(for error: Int32, depth: Int, context: PolicyContext) -> Finding {
        let certificate = depth < context.chain.count ? context.chain[depth] : nil
        let what = describe(certificate, atDepth: depth)
        let at = iso8601(context.checkedAt)

        switch error {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return Finding(
                .certificateExpired, .both, depth: depth,
                "\(what) expired on \(certificate.map { iso8601($0.notAfter) } ?? "?") (checked at \(at))",
                fix: depth == 0
                    ? "issue a renewed certificate for this tenant (gshare pki issue, or the tenant's CA) and use that"
                    : "renew that CA certificate and re-issue what it signed")
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return Finding(
                .certificateNotYetValid, .both, depth: depth,
                "\(what) is not valid before \(certificate.map { iso8601($0.notBefore) } ?? "?") (checked at \(at))",
                fix: "check the clocks of the issuing CA and of this machine; use it once it is valid")
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
            return Finding(
                .certificateTimeInvalid, .both, depth: depth, "\(what) has a malformed validity time",
                fix: "re-issue the certificate")
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return Finding(
                .issuerUnknown, .both, depth: depth,
                "the issuer \"\(certificate?.issuer ?? "?")\" of \(what) is neither a trusted CA (--ca) nor an intermediate given with it",
                fix: "pass the tenant root with --ca and the issuing intermediate with --untrusted (or after the leaf in its file); a certificate from another CA cannot be trusted")
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return Finding(
                .selfSignedUntrusted, .both, depth: depth,
                "\(what) is self-signed and is not one of the trusted CAs",
                fix: "tenant certificates must be issued by the tenant CA (gshare pki issue --ca DIR --profile client)")
        case X509_V_ERR_INVALID_CA, X509_V_ERR_INVALID_NON_CA:
            return Finding(
                .intermediateNotCA, .both, depth: depth,
                "\(what) signed part of the chain but is not a CA (basicConstraints CA:FALSE or missing)",
                fix: "issue the tenant certificate from a real CA (basicConstraints CA:TRUE)")
        case X509_V_ERR_PATH_LENGTH_EXCEEDED:
            return Finding(
                .pathLengthExceeded, .both, depth: depth,
                "the chain has more CAs below \(what) than a pathlen constraint in it allows",
                fix: "issue from a CA whose pathlen allows this position (an intermediate should have pathlen:0 and sign leaves directly)")
        case X509_V_ERR_CERT_CHAIN_TOO_LONG:
            return Finding(
                .chainTooLong, .both, depth: depth,
                "the chain needs more intermediate CAs than the allowed depth \(context.depth) (GlusterFS ssl.certificate-depth)",
                fix: "issue the tenant from a CA closer to the root, or raise --depth together with the volumes' ssl.certificate-depth")
        case X509_V_ERR_CERT_REVOKED:
            return Finding(
                .certificateRevoked, .both, depth: depth,
                "\(what) is revoked by the CRL of \"\(certificate?.issuer ?? "?")\"",
                fix: depth == 0 ? "issue the tenant a new certificate; a revoked one can never be used again"
                    : "the CA is revoked: re-issue under a valid CA")
        case X509_V_ERR_UNABLE_TO_GET_CRL:
            return Finding(
                .crlMissing, .both, depth: depth,
                "no CRL was given for \"\(certificate?.issuer ?? "?")\", the issuer of \(what): with CRL checking on, GlusterFS then rejects EVERY client of that CA",
                fix: "give a current CRL for every CA in the chain (--crl, e.g. from gshare pki crl), and install them all in ssl.crl-path")
        case X509_V_ERR_CRL_HAS_EXPIRED:
            return Finding(
                .crlExpired, .both, depth: depth,
                "the CRL of \"\(certificate?.issuer ?? "?")\" is past its nextUpdate (checked at \(at)): GlusterFS then rejects EVERY client of that CA",
                fix: "publish a fresh CRL (gshare pki crl) and install it in ssl.crl-path")
        case X509_V_ERR_CRL_NOT_YET_VALID:
            return Finding(
                .crlNotYetValid, .both, depth: depth,
                "the CRL of \"\(certificate?.issuer ?? "?")\" is not valid yet (checked at \(at))",
                fix: "check the CA's clock and re-issue the CRL")
        case X509_V_ERR_CRL_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE,
            X509_V_ERR_KEYUSAGE_NO_CRL_SIGN, X509_V_ERR_DIFFERENT_CRL_SCOPE, X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION,
            X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD, X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
            return Finding(
                .crlInvalid, .both, depth: depth,
                "the CRL for \(what) cannot be used: \(errorString(error))",
                fix: "re-issue the CRL with the CA that issued the certificate")
        case X509_V_ERR_EE_KEY_TOO_SMALL, X509_V_ERR_CA_KEY_TOO_SMALL:
            return Finding(
                .keyTooWeak, .both, depth: depth,
                "\(what) has a key too weak for OpenSSL security level \(context.securityLevel): \(certificate?.publicKey.description ?? "?")",
                fix: "issue a new certificate with a P-256, Ed25519 or RSA (2048+ bits) key")
        case X509_V_ERR_CA_MD_TOO_WEAK:
            return Finding(
                .signatureTooWeak, .both, depth: depth,
                "\(what) is signed with \(certificate?.signatureAlgorithm ?? "?"), too weak for OpenSSL security level \(context.securityLevel)",
                fix: "re-issue it with a SHA-256 (or stronger) signature")
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
            X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
            return Finding(
                .signatureInvalid, .both, depth: depth, "the signature on \(what) does not verify: \(errorString(error))",
                fix: "the certificate is damaged or forged: obtain it again from its CA")
        case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
            let unknown = certificate?.unsupportedCriticalExtensions ?? []
            return Finding(
                .unhandledCriticalExtension, .both, depth: depth,
                "\(what) has a critical extension OpenSSL does not understand"
                    + (unknown.isEmpty ? "" : " (\(unknown.joined(separator: ", ")))")
                    + "; RFC 5280 makes every verifier refuse such a certificate",
                fix: "re-issue without that critical extension (or with it non-critical)")
        default:
            return Finding(
                .verifyError(error), .both, depth: depth, "OpenSSL rejects \(what): \(errorString(error))",
                fix: "see the OpenSSL error above; re-issue the certificate if it is malformed")
        }
    }

    static func errorString(_ error: Int32) -> String {
        error < 0 ? "internal verification failure" : String(cString: X509_verify_cert_error_string(Int(error)))
    }
}

/// "the certificate" for the leaf, else the CA certificate's subject and chain depth.
func describe(_ certificate: Certificate?, atDepth depth: Int) -> String {
    depth == 0 ? "the certificate" : "the CA certificate \"\(certificate?.subject ?? "?")\" (chain depth \(depth))"
}

func iso8601(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

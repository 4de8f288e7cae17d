//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

// The tenant policy's RFC 5280 structural checks: defects OpenSSL (as GlusterFS runs it,
// without X509_V_FLAG_X509_STRICT) lets through. Each looks wherever the rule applies in
// the chain OpenSSL built, the trust anchor included unless said otherwise. (An unknown
// critical extension needs no check here: OpenSSL refuses it in both layers, see
// ChainFindings, unhandled-critical-extension.)

/// The fix for a structural defect: the certificate has to be issued again.
private func reissue(atDepth depth: Int, _ how: String) -> String {
    depth == 0
        ? "issue the tenant a new certificate \(how) (gshare pki issue does)"
        : "re-issue that CA certificate \(how), then the certificates under it"
}

/// RFC 5280 4.1.2.1: a certificate with extensions is v3; gshare requires v3 everywhere.
struct VersionCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.chain.enumerated().compactMap { depth, certificate in
            guard certificate.version != 3 else { return nil }
            let extensions = certificate.hasExtensions ? " yet carries extensions" : ""
            return Finding(
                .certificateNotV3, .policy, depth: depth,
                "\(describe(certificate, atDepth: depth)) is an X.509 v\(certificate.version) certificate\(extensions); only v3 can carry the extensions (basicConstraints, keyUsage, key identifiers) a verifier relies on",
                fix: reissue(atDepth: depth, "as X.509 v3"))
        }
    }
}

/// RFC 5280 4.1.2.2: the serial number is positive and at most 20 octets long — leaf and
/// intermediates. Not the trust anchor: path validation takes it as given (RFC 5280 6.1),
/// and long-trusted roots have serial 0 (Starfield and Go Daddy Root G2, see x509-limbo's
/// online::fastly.com).
struct SerialNumberCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.nonAnchorCertificates.enumerated().compactMap { depth, certificate in
            let serial = certificate.serialNumberEncoding
            let what = describe(certificate, atDepth: depth)
            let fix = reissue(atDepth: depth, "with a random positive serial number of at most 20 octets")
            if serial.isZero {
                return Finding(
                    .serialZero, .policy, depth: depth,
                    "\(what) has serial number 0; RFC 5280 requires a positive serial number (0 is what broken or test CAs write)",
                    fix: fix)
            }
            if serial.isNegative {
                return Finding(
                    .serialNegative, .policy, depth: depth,
                    "\(what) has a negative serial number (-0x\(certificate.serialNumberHex.drop { $0 == "-" })); RFC 5280 requires a positive one, and tools disagree on how to read it",
                    fix: fix)
            }
            if serial.contentOctets > 20 {
                return Finding(
                    .serialTooLong, .policy, depth: depth,
                    "\(what) has a \(serial.contentOctets)-octet serial number; RFC 5280 allows at most 20 octets, and verifiers may refuse longer ones",
                    fix: fix)
            }
            return nil
        }
    }
}

/// RFC 5280 4.2.1.1–2: every certificate but a self-signed one names its issuer's key
/// (authorityKeyIdentifier with keyIdentifier); every CA certificate has a
/// subjectKeyIdentifier.
struct KeyIdentifierCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        var findings: [Finding] = []
        for (depth, certificate) in context.chain.enumerated() {
            let what = describe(certificate, atDepth: depth)
            let state = certificate.authorityKeyIdentifierState
            if state != .present && !certificate.isSelfSigned {
                let lack = switch state {
                case .missing: "has no authorityKeyIdentifier"
                case .undecodable: "has an authorityKeyIdentifier that cannot be decoded"
                default: "has an authorityKeyIdentifier without keyIdentifier"
                }
                findings.append(Finding(
                    .akiMissing, .policy, depth: depth,
                    "\(what) \(lack); RFC 5280 requires it in every certificate but a self-signed one, to find the issuing key when a CA has more than one",
                    fix: reissue(atDepth: depth, "with authorityKeyIdentifier keyid")))
            }
            if depth > 0 && !certificate.hasSubjectKeyIdentifier {
                findings.append(Finding(
                    .caSKIMissing, .policy, depth: depth,
                    "\(what) has no subjectKeyIdentifier; RFC 5280 requires it in every CA certificate",
                    fix: reissue(atDepth: depth, "with subjectKeyIdentifier hash")))
            }
        }
        return findings
    }
}

/// RFC 5280 4.2: a certificate includes each extension at most once.
struct DuplicateExtensionCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.chain.enumerated().compactMap { depth, certificate in
            let duplicated = certificate.duplicatedExtensions
            guard !duplicated.isEmpty else { return nil }
            let list = duplicated.map { "\($0.name) (\($0.copies) copies)" }.joined(separator: ", ")
            return Finding(
                .duplicateExtension, .policy, depth: depth,
                "\(describe(certificate, atDepth: depth)) contains \(list): RFC 5280 allows each extension once, and verifiers disagree on which copy counts",
                fix: reissue(atDepth: depth, "with each extension once"))
        }
    }
}

/// No DSA keys, and RSA moduli that are a whole number of bytes.
struct LegacyKeyCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.chain.enumerated().compactMap { depth, certificate in
            let key = certificate.publicKey
            let what = describe(certificate, atDepth: depth)
            switch key.algorithm {
            case .dsa:
                return Finding(
                    .dsaKey, .policy, depth: depth,
                    "\(what) has a DSA key (\(key.bits) bits): DSA is withdrawn for signatures (FIPS 186-5) and TLS 1.3 cannot use it",
                    fix: reissue(atDepth: depth, "with a P-256, Ed25519 or RSA (2048+ bits) key"))
            case .rsa where key.bits % 8 != 0, .rsaPSS where key.bits % 8 != 0:
                return Finding(
                    .rsaModulusNotByteMultiple, .policy, depth: depth,
                    "\(what) has a \(key.bits)-bit RSA modulus, not a whole number of bytes: the mark of a broken key generator",
                    fix: reissue(atDepth: depth, "with a freshly generated key (RSA 2048 or 3072 bits, or P-256)"))
            default:
                return nil
            }
        }
    }
}

/// RFC 5280 4.2.1.10: below a CA with nameConstraints, every email and DNS name in a
/// subjectAltName must be well-formed to be judged against the constraints (OpenSSL
/// compares the text and lets a malformed name through when it looks permitted).
struct NameConstraintsSyntaxCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        let chain = context.chain
        guard let highest = chain.lastIndex(where: \.hasNameConstraints), highest > 0 else { return [] }
        return chain[..<highest].enumerated().compactMap { depth, certificate in
            let problems = certificate.subjectAlternativeNameEntries.compactMap { entry -> String? in
                switch entry {
                case .dns(let bytes):
                    NameSyntax.dnsNameProblem(bytes, allowingWildcard: true).map { "the DNS name \"\(display(bytes))\" \($0)" }
                case .email(let bytes):
                    NameSyntax.emailAddressProblem(bytes).map { "the email address \"\(display(bytes))\" \($0)" }
                default:
                    nil
                }
            }
            guard !problems.isEmpty,
                let constraining = chain[(depth + 1)...].first(where: \.hasNameConstraints)
            else { return nil }
            return Finding(
                .malformedSANUnderNameConstraints, .policy, depth: depth,
                "\(describe(certificate, atDepth: depth)) is under the name constraints of \"\(constraining.subject)\", but in its subjectAltName \(problems.joined(separator: "; ")): a malformed name cannot be checked against the constraints",
                fix: reissue(atDepth: depth, "with well-formed names (local@domain, DNS names of letters, digits and hyphens) inside the permitted subtrees"))
        }
    }

    private func display(_ bytes: [UInt8]) -> String { escapingControlCharacters(String(decoding: bytes, as: UTF8.self)) }
}

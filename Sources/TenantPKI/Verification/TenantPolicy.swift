//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

import struct Foundation.Date

/// What the tenant-policy checks look at.
struct PolicyContext {
    let leaf: Certificate
    /// The chain OpenSSL built, leaf first.
    let chain: [Certificate]
    /// The chain ends at a trust anchor (so its last element is the anchor).
    let chainIsTrusted: Bool
    let key: PrivateKeyFile?
    let checkedAt: Date
    let securityLevel: Int
    let depth: Int
    /// The system CNs, when known (``VerificationOptions/reservedCommonNames``).
    var reservedCommonNames: Set<String> = []

    /// Leaf and intermediates: every certificate in the chain except a trusted anchor.
    var nonAnchorCertificates: ArraySlice<Certificate> {
        chainIsTrusted && chain.count > 1 ? chain.dropLast() : chain[...]
    }
}

/// One rule of gshare's strict tenant policy.
protocol TenantPolicyCheck: Sendable {
    func findings(in context: PolicyContext) -> [Finding]
}

/// gshare's strict tenant policy: what a certificate must meet before a tenant is
/// onboarded, beyond what GlusterFS checks. Each rule is a small check; all run, so
/// every reason is reported.
enum TenantPolicy {
    static let checks: [any TenantPolicyCheck] = [
        LeafIsNotACheck(), ClientAuthenticationCheck(), ChainPurposeCheck(), CommonNameCheck(), SystemNameCheck(),
        KeyStrengthCheck(), SignatureHashCheck(), PrivateKeyCheck(),
        // RFC 5280 structure (StructureChecks.swift).
        VersionCheck(), SerialNumberCheck(), KeyIdentifierCheck(), DuplicateExtensionCheck(), LegacyKeyCheck(),
        NameConstraintsSyntaxCheck(),
    ]
}

/// The name GlusterFS sees is not a system CN: the nodes and gshare's own identity are in
/// every volume's auth.ssl-allow, and the nodes trust the tenant root, so a tenant
/// certificate carrying such a name would be let into every volume, free ones included.
struct SystemNameCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        let name = String(decoding: context.leaf.glusterFSName.bytes, as: UTF8.self)
        guard context.reservedCommonNames.contains(name) else { return [] }
        return [Finding(
            .cnIsSystemName, .policy,
            "the name GlusterFS sees, \"\(context.leaf.glusterFSName.displayText)\", is a system CN (a GlusterFS node or gshare's own identity, in every volume's auth.ssl-allow): a tenant holding it would be let into every volume",
            fix: "issue the tenant a certificate with a CN of its own, and revoke this one (gshare pki revoke); a tenant CA must never issue system names")]
    }
}

/// CA:FALSE, and no keyCertSign / cRLSign: a tenant must not be able to sign certificates.
struct LeafIsNotACheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        var findings: [Finding] = []
        if context.leaf.basicConstraints?.isCA == true {
            findings.append(Finding(
                .leafIsCA, .policy, "basicConstraints says CA:TRUE: a tenant certificate must not be a CA",
                fix: "issue it with the client profile (CA:FALSE), e.g. gshare pki issue --profile client"))
        }
        if let usage = context.leaf.keyUsage, usage.allowsSigningCertificatesOrCRLs {
            findings.append(Finding(
                .leafCanSign, .policy,
                "keyUsage (\(usage.usages.joined(separator: ", "))) lets the tenant's key sign certificates or CRLs",
                fix: "issue it with keyUsage digitalSignature only (the client profile)"))
        }
        if context.leaf.hasInvalidExtensions {
            findings.append(Finding(
                .extensionsInvalid, .policy, "an extension of the certificate cannot be decoded",
                fix: "re-issue the certificate"))
        }
        return findings
    }
}

/// EKU present and containing clientAuth; and OpenSSL's TLS-client purpose accepts the leaf.
struct ClientAuthenticationCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        guard let eku = context.leaf.extendedKeyUsage else {
            return [Finding(
                .ekuMissing, .policy,
                "there is no extendedKeyUsage extension, so the certificate is not restricted to TLS client use",
                fix: "issue it with extendedKeyUsage clientAuth (the client profile)")]
        }
        guard eku.allowsClientAuthentication else {
            let note = eku.purposes.contains("anyExtendedKeyUsage") ? " (anyExtendedKeyUsage is not enough)" : ""
            return [Finding(
                .ekuLacksClientAuth, .policy,
                "extendedKeyUsage is \(eku.purposes.joined(separator: ", ")) and lacks clientAuth\(note)",
                fix: "issue it with extendedKeyUsage clientAuth (the client profile)")]
        }
        guard context.leaf.passesClientPurpose(asCA: false) else {
            return [Finding(
                .purposeNotClient, .policy,
                "OpenSSL's TLS-client purpose rejects the certificate (keyUsage lacks digitalSignature and keyAgreement, or its Netscape cert type excludes SSL clients)",
                fix: "issue it with keyUsage digitalSignature (the client profile)")]
        }
        return []
    }
}

/// Every CA in the chain may issue TLS client certificates (their EKU, if any, allows it).
struct ChainPurposeCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.chain.enumerated().dropFirst().compactMap { depth, ca in
            // A certificate that is not a CA at all is reported by the chain check (intermediate-not-ca).
            guard ca.basicConstraints?.isCA == true, !ca.passesClientPurpose(asCA: true) else { return nil }
            return Finding(
                .chainPurposeMismatch, .policy, depth: depth,
                "the CA \"\(ca.subject)\" (chain depth \(depth)) may not issue TLS client certificates: its extendedKeyUsage or keyUsage excludes it",
                fix: "issue tenant certificates from a CA without a restricting extendedKeyUsage")
        }
    }
}

/// Exactly one CN, UTF8String or PrintableString, matching gshare's name rule.
struct CommonNameCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        let names = context.leaf.subjectCommonNames
        guard let first = names.first else {
            return [Finding(
                .cnMissing, .policy,
                "the subject has no CN: GlusterFS would see an empty name, which only a '*' auth.ssl-allow admits",
                fix: "issue it with CN set to the tenant's name, e.g. gshare pki issue --cn tenant-a")]
        }
        var findings: [Finding] = []
        if names.count > 1 {
            let list = names.map { "\"\($0.displayText)\"" }.joined(separator: ", ")
            findings.append(Finding(
                .cnMultiple, .policy,
                "the subject has \(names.count) CNs (\(list)): GlusterFS uses the first, other tools may use the last",
                fix: "issue it with exactly one CN"))
        }
        guard first.stringType == .utf8String || first.stringType == .printableString else {
            findings.append(Finding(
                .cnStringType, .policy,
                "the CN is a \(first.stringType) (\"\(first.displayText)\"); GlusterFS reads the raw bytes, so it would see \"\(context.leaf.glusterFSName.displayText)\"",
                fix: "issue it with the CN as a UTF8String or PrintableString"))
            return findings
        }
        if let problem = CommonName.problem(in: first.bytes) {
            findings.append(Finding(
                .cnInvalid, .policy,
                "the CN \"\(first.displayText)\" cannot be listed safely in auth.ssl-allow: \(problem)",
                fix: "issue it with a CN of 1-64 characters from A-Z a-z 0-9 . _ @ -, starting with a letter or digit"))
        }
        return findings
    }
}

/// RSA ≥ 2048 bits, EC P-256/P-384/P-521, or Ed25519 — leaf and intermediates.
struct KeyStrengthCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.nonAnchorCertificates.enumerated().compactMap { depth, certificate in
            let key = certificate.publicKey
            let what = describe(certificate, atDepth: depth)
            switch key.algorithm {
            case .rsa, .rsaPSS:
                guard key.bits < 2048 else { return nil }
                return Finding(
                    .keyTooWeak, .policy, depth: depth, "\(what) has a \(key.bits)-bit RSA key; at least 2048 bits are required",
                    fix: "issue a new certificate with a P-256, Ed25519 or RSA (2048+ bits) key")
            case .ec(let curve) where ["P-256", "P-384", "P-521"].contains(curve):
                return nil
            case .ed25519:
                return nil
            case .dsa:
                return nil  // dsa-key (LegacyKeyCheck), anywhere in the chain
            default:
                return Finding(
                    .keyTypeUnsupported, .policy, depth: depth,
                    "\(what) has a key of type \(key); gshare accepts RSA (2048+), EC P-256/P-384/P-521 and Ed25519",
                    fix: "issue a new certificate with a P-256 or Ed25519 key")
            }
        }
    }
}

/// Signatures with SHA-256 or stronger (or EdDSA) — leaf and intermediates.
struct SignatureHashCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        context.nonAnchorCertificates.enumerated().compactMap { depth, certificate in
            guard !certificate.hasStrongSignatureHash else { return nil }
            let what = describe(certificate, atDepth: depth)
            return Finding(
                .signatureTooWeak, .policy, depth: depth,
                "\(what) is signed with \(certificate.signatureAlgorithm); SHA-256 or stronger is required",
                fix: "re-issue it with a SHA-256 (or stronger) signature")
        }
    }
}

/// With `--key`: the key matches, is not encrypted, and its file is private (warning).
struct PrivateKeyCheck: TenantPolicyCheck {
    func findings(in context: PolicyContext) -> [Finding] {
        guard let file = context.key else { return [] }
        var findings: [Finding] = []
        if let key = file.key {
            if !context.leaf.matches(key) {
                findings.append(Finding(
                    .keyMismatch, .both, depth: nil,
                    "the private key in \(file.path) (\(key.description)) does not belong to this certificate: the TLS handshake cannot succeed",
                    fix: "give the key that was generated with this certificate"))
            }
        } else {
            findings.append(Finding(
                .keyEncrypted, .policy, depth: nil,
                "the private key in \(file.path) is encrypted; GlusterFS reads glusterfs.key without a passphrase",
                fix: "store it decrypted in a 0600 file: openssl pkey -in \(file.path) -out glusterfs.key"))
        }
        if file.isAccessibleByOthers {
            findings.append(Finding(
                .keyFilePermissions, .policy, depth: nil, severity: .warning,
                "the private key file \(file.path) has mode 0\(String(file.mode, radix: 8)): other users can access it",
                fix: "chmod 600 \(file.path)"))
        }
        return findings
    }
}

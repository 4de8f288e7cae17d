//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// One reason a certificate is (or might be) unfit, with the fix.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the reason (used as-is in `--json`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Chain verification (OpenSSL, set up as GlusterFS does): both layers.
        public static let certificateExpired = Code("certificate-expired")
        public static let certificateNotYetValid = Code("certificate-not-yet-valid")
        public static let certificateTimeInvalid = Code("certificate-time-invalid")
        public static let issuerUnknown = Code("issuer-unknown")
        public static let selfSignedUntrusted = Code("self-signed-untrusted")
        public static let intermediateNotCA = Code("intermediate-not-ca")
        public static let pathLengthExceeded = Code("path-length-exceeded")
        public static let chainTooLong = Code("chain-too-long")
        public static let certificateRevoked = Code("certificate-revoked")
        public static let crlMissing = Code("crl-missing")
        public static let crlExpired = Code("crl-expired")
        public static let crlNotYetValid = Code("crl-not-yet-valid")
        public static let crlInvalid = Code("crl-invalid")
        public static let keyTooWeak = Code("key-too-weak")
        public static let signatureTooWeak = Code("signature-too-weak")
        public static let signatureInvalid = Code("signature-invalid")
        public static let unhandledCriticalExtension = Code("unhandled-critical-extension")
        public static let keyMismatch = Code("key-mismatch")
        // gshare's tenant policy only.
        public static let leafIsCA = Code("leaf-is-ca")
        public static let leafCanSign = Code("leaf-can-sign")
        public static let ekuMissing = Code("eku-missing")
        public static let ekuLacksClientAuth = Code("eku-lacks-client-auth")
        public static let purposeNotClient = Code("purpose-not-client")
        public static let chainPurposeMismatch = Code("chain-purpose-mismatch")
        public static let extensionsInvalid = Code("extensions-invalid")
        public static let cnMissing = Code("cn-missing")
        public static let cnMultiple = Code("cn-multiple")
        public static let cnStringType = Code("cn-string-type")
        public static let cnInvalid = Code("cn-invalid")
        public static let keyTypeUnsupported = Code("key-type-unsupported")
        public static let keyEncrypted = Code("key-encrypted")
        public static let keyFilePermissions = Code("key-file-permissions")
        // gshare's tenant policy, RFC 5280 structure (anywhere in the chain the rule applies).
        public static let serialZero = Code("serial-zero")
        public static let serialNegative = Code("serial-negative")
        public static let serialTooLong = Code("serial-too-long")
        public static let akiMissing = Code("aki-missing")
        public static let caSKIMissing = Code("ca-ski-missing")
        public static let duplicateExtension = Code("duplicate-extension")
        public static let certificateNotV3 = Code("certificate-not-v3")
        public static let dsaKey = Code("dsa-key")
        public static let rsaModulusNotByteMultiple = Code("rsa-modulus-not-byte-multiple")
        public static let malformedSANUnderNameConstraints = Code("malformed-san-under-name-constraints")
        /// The name GlusterFS sees is a system CN (a node or gshare's own identity).
        public static let cnIsSystemName = Code("cn-is-system-cn")

        /// An OpenSSL verification error gshare has no dedicated code for.
        static func verifyError(_ number: Int32) -> Code { Code("verify-error-\(number)") }
    }

    public enum Severity: String, Sendable, Hashable {
        /// The certificate fails the layer(s) named in ``Finding/layers``.
        case error
        /// Worth fixing; does not change a verdict.
        case warning
    }

    /// Which verdicts a finding counts against.
    public struct Layers: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// What GlusterFS itself would refuse (and therefore the policy too).
        public static let glusterFS = Layers(rawValue: 1)
        /// gshare's strict tenant policy.
        public static let policy = Layers(rawValue: 2)
        public static let both: Layers = [.glusterFS, .policy]
    }

    public let code: Code
    public let severity: Severity
    public let layers: Layers
    /// What is wrong, naming the certificate, CA, CRL or file concerned.
    public let message: String
    /// How to fix it.
    public let fix: String
    /// Position in the chain (0 = the leaf) when the finding is about one certificate.
    public let depth: Int?

    init(_ code: Code, _ layers: Layers, depth: Int? = 0, severity: Severity = .error, _ message: String, fix: String) {
        self.code = code
        self.severity = severity
        self.layers = layers
        self.message = message
        self.fix = fix
        self.depth = depth
    }

    public var description: String { "[\(code)] \(message) — fix: \(fix)" }
}

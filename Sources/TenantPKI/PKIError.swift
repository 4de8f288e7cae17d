//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// A failure of the PKI machinery itself: a file that cannot be read, is not a
/// certificate, or an OpenSSL call that failed. Expected outcomes (a certificate that
/// does not pass validation) are *not* errors: they are ``VerificationReport`` values.
///
/// Every error names the object it is about (``path``), says what was wrong
/// (``reason``) and how to fix it (``hint``). Equality compares ``code`` only.
public struct PKIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier (used as-is in `--json` output).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file does not exist or cannot be read.
        public static let fileUnreadable = Code("file-unreadable")
        /// The file is empty (or holds only whitespace).
        public static let fileEmpty = Code("file-empty")
        /// The bytes are neither a PEM certificate nor a DER certificate.
        public static let notACertificate = Code("not-a-certificate")
        /// A PEM file has something other than whitespace after its last PEM block.
        public static let pemTrailingData = Code("pem-trailing-data")
        /// A PEM file has something other than whitespace before its first PEM block.
        public static let pemLeadingData = Code("pem-leading-data")
        /// A PEM block is damaged (bad base64, missing END line, bad DER inside).
        public static let pemMalformed = Code("pem-malformed")
        /// A PEM file holds a block of another type where certificates were expected.
        public static let pemUnexpectedBlock = Code("pem-unexpected-block")
        /// The file is not a private key.
        public static let notAPrivateKey = Code("not-a-private-key")
        /// The file is not a certificate revocation list.
        public static let notACRL = Code("not-a-crl")
        /// A trust-anchor file holds no certificate.
        public static let noTrustAnchor = Code("no-trust-anchor")
        /// A time given by the user could not be understood.
        public static let invalidTime = Code("invalid-time")
        /// A name that is to be listed in `auth.ssl-allow` breaks the name rules.
        public static let invalidCommonName = Code("invalid-common-name")
        /// A key type name that gshare does not issue.
        public static let unknownKeyType = Code("unknown-key-type")
        /// A file or directory that gshare would have to overwrite already exists.
        public static let alreadyExists = Code("already-exists")
        /// A file or directory cannot be written.
        public static let fileUnwritable = Code("file-unwritable")
        /// A directory is not a gshare CA (or its files are damaged).
        public static let notACertificateAuthority = Code("not-a-ca")
        /// An issuance request the CA must refuse (validity beyond the issuer's, bad SAN…).
        public static let issuanceRefused = Code("issuance-refused")
        /// A serial number or certificate this CA never issued.
        public static let unknownSerial = Code("unknown-serial")
        /// A lab profile that cannot be used.
        public static let invalidProfile = Code("invalid-profile")
        /// An OpenSSL call failed for a reason other than bad input.
        public static let openSSLFailure = Code("openssl-failure")
        /// A TLS server (a GlusterFS node) could not be reached for its certificate.
        public static let peerUnreachable = Code("peer-unreachable")
        /// A server answered, but sent no certificate (no TLS on that port).
        public static let peerSentNoCertificate = Code("peer-sent-no-certificate")
    }

    public let code: Code
    /// The file (or other object) the error is about, if any.
    public let path: String?
    /// What was wrong.
    public let reason: String
    /// What to do about it.
    public let hint: String
    /// OpenSSL's error queue at the time of the failure, oldest first.
    public let openSSLErrors: [String]
    private let location: String

    init(
        _ code: Code, path: String? = nil, reason: String, hint: String, openSSLErrors: [String] = [],
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.path = path
        self.reason = reason
        self.hint = hint
        self.openSSLErrors = openSSLErrors
        self.location = "\(file):\(line)"
    }

    public var description: String {
        var text = path.map { "\($0): \(reason)" } ?? reason
        if let first = hint.first { text += ". " + first.uppercased() + hint.dropFirst() + "." }
        if !openSSLErrors.isEmpty { text += " (OpenSSL: \(openSSLErrors.joined(separator: "; ")))" }
        return text
    }

    public static func == (lhs: PKIError, rhs: PKIError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A list of file paths (`--leaves-from`) that cannot be read.
    public static func unreadablePathList(_ path: String) -> PKIError {
        PKIError(.fileUnreadable, path: path, reason: "cannot read the list of certificate files", hint: "check the path and its permissions")
    }

    /// This error about another object: the same code and reason, `path` replaced.
    func about(_ path: String) -> PKIError {
        PKIError(code, path: path, reason: reason, hint: hint, openSSLErrors: openSSLErrors)
    }
}

//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

/// An SSH connection, host key check, authentication or remote command that failed.
///
/// Every error names the endpoint (``host``, `user@host:port`), the ``step`` that failed, and
/// what happened and what to do (``message``). Host key errors carry the server key's
/// ``fingerprint``. Equality and hashing compare ``code`` only, so tests can match codes.
/// A non-zero exit status of a remote command is not an error: see ``SSHCommandResult``.
public struct SSHError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No TCP connection: refused, unreachable, unknown name.
        public static let connectFailed = Code("connect-failed")
        /// The SSH key exchange failed (not an SSH server, no common algorithm, connection dropped).
        public static let handshakeFailed = Code("handshake-failed")
        /// The server's host key is not in the known_hosts file (or the file does not exist).
        public static let unknownHost = Code("unknown-host")
        /// The known_hosts file has a different key of the same type for this host.
        public static let hostKeyChanged = Code("host-key-changed")
        /// The known_hosts file exists but cannot be read or parsed.
        public static let knownHostsUnreadable = Code("known-hosts-unreadable")
        /// The private key file cannot be read, or is not a key libssh2 understands.
        public static let keyUnreadable = Code("key-unreadable")
        /// The private key is passphrase-protected and the passphrase is wrong or missing.
        public static let wrongPassphrase = Code("wrong-passphrase")
        /// The server refused the (valid) key: it is not authorized for this user.
        public static let keyRefused = Code("key-refused")
        /// An RSA key refused by a server that no longer accepts ssh-rsa (SHA-1) signatures,
        /// the only RSA signatures libssh2 1.10 makes.
        public static let rsaKeyUnsupported = Code("rsa-key-unsupported")
        /// The server refused the password (or does not accept password authentication).
        public static let passwordRefused = Code("password-refused")
        /// The step did not finish within its timeout.
        public static let timedOut = Code("timed-out")
        /// The calling task was cancelled.
        public static let cancelled = Code("cancelled")
        /// A session channel could not be opened, or the command could not be started.
        public static let channelFailed = Code("channel-failed")
        /// Reading the command's output or its end failed (step io).
        public static let commandFailed = Code("command-failed")
        /// The connection was closed (by ``SSHConnection/close()``, after a command timeout,
        /// or after an I/O failure): connect again.
        public static let connectionClosed = Code("connection-closed")
        /// An argument that cannot be sent: a NUL byte in a command argument, a port out of range…
        public static let invalidArgument = Code("invalid-argument")
    }

    /// The stage of the connection a failure belongs to.
    public struct Step: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let connect = Step("connect")
        public static let handshake = Step("handshake")
        public static let hostKey = Step("host key check")
        public static let auth = Step("authentication")
        public static let exec = Step("exec")
        public static let io = Step("io")
    }

    public let code: Code
    /// The endpoint, `user@host:port` (empty for a failure before any endpoint, e.g. quoting).
    public let host: String
    public let step: Step
    /// What happened, naming the host, the step and the cause, and what to do about it.
    public let message: String
    /// The server's host key fingerprint (`SHA256:…`) for host key errors.
    public let fingerprint: String?

    public init(_ code: Code, host: String, step: Step, message: String, fingerprint: String? = nil) {
        self.code = code
        self.host = host
        self.step = step
        self.message = message
        self.fingerprint = fingerprint
    }

    public var description: String { message }

    public static func == (lhs: SSHError, rhs: SSHError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The same error for another endpoint (quoting errors are raised before there is one).
    func at(_ host: String) -> SSHError {
        SSHError(code, host: host, step: step, message: "ssh \(host) (\(step)): \(message)", fingerprint: fingerprint)
    }
}

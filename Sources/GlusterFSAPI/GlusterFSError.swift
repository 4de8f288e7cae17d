//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// A libgfapi call, or the isolated worker around it, that failed.
///
/// Every error names the call (``operation``), the path inside the volume when there is
/// one (``path``), the `errno` gfapi reported (``errno``, 0 when there is none), and what
/// happened (``message``). Equality compares ``code`` only.
public struct GlusterFSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bricks refused the certificate's common name: it is not in `auth.ssl-allow`.
        public static let refusedByAuthAllow = Code("refused-by-auth-allow")
        /// The TLS handshake failed: unknown CA, a key that does not match the certificate,
        /// an unreadable certificate file, or a plain client talking to a TLS brick.
        public static let tlsRejected = Code("tls-rejected")
        /// Nothing answered at the volfile server (glusterd, port 24007).
        public static let glusterdUnreachable = Code("glusterd-unreachable")
        /// glusterd does not know the volume.
        public static let unknownVolume = Code("unknown-volume")
        /// The volume exists but is not started: no brick to talk to.
        public static let volumeStopped = Code("volume-stopped")
        /// The deadline passed before the operation finished (the worker was killed).
        public static let timedOut = Code("timed-out")
        /// The calling task was cancelled (the worker was killed).
        public static let cancelled = Code("cancelled")
        /// Connecting failed for a reason not classified above (see ``GlusterFSError/message``).
        public static let connectFailed = Code("connect-failed")
        /// A file-system operation inside a connected volume failed (see ``GlusterFSError/errno``).
        public static let operationFailed = Code("operation-failed")
        /// The operation needs a connected volume: call ``GlusterVolume/connect()`` first.
        public static let notConnected = Code("not-connected")
        /// An argument that cannot be used (a relative path, a NUL byte, a negative count…).
        public static let invalidArgument = Code("invalid-argument")
        /// The worker executable cannot be found or started.
        public static let workerUnavailable = Code("worker-unavailable")
        /// The worker ended without a result, or wrote something that is not the protocol.
        public static let workerFailed = Code("worker-failed")
        /// A lock stayed held by another client for the whole wait (``GlusterFSError/message``
        /// names the holder when it wrote itself into the lock file).
        public static let lockBusy = Code("lock-busy")
    }

    public let code: Code
    /// The errno gfapi (or the system) reported; 0 when there is none.
    public let errno: Int32
    /// The call that failed, e.g. `glfs_init` or `glfs_unlink`.
    public let operation: String
    /// The path inside the volume (or the file on disk) the failure is about, if any.
    public let path: String?
    /// What happened, in words.
    public let message: String
    /// The gfapi log lines that explain the failure (warnings and errors), oldest first.
    public let logExcerpt: [String]

    /// Creates an error; `message` defaults to `strerror(errno)`.
    public init(
        _ code: Code, errno: Int32 = 0, operation: String, path: String? = nil, message: String? = nil,
        logExcerpt: [String] = []
    ) {
        self.code = code
        self.errno = errno
        self.operation = operation
        self.path = path
        self.message = message ?? (errno == 0 ? "failed" : Self.describe(errno: errno))
        self.logExcerpt = logExcerpt
    }

    public var description: String {
        var text = "\(operation)"
        if let path { text += " \(path)" }
        text += ": \(message)"
        if errno != 0 && message != Self.describe(errno: errno) { text += " (errno \(errno): \(Self.describe(errno: errno)))" }
        return text
    }

    public static func == (lhs: GlusterFSError, rhs: GlusterFSError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `strerror` text for an errno value.
    static func describe(errno code: Int32) -> String { String(cString: strerror(code)) }

    /// The error for a connection outcome other than ``GlusterAccessOutcome/ok``.
    init(outcome: GlusterAccessOutcome, errno: Int32, operation: String = "glfs_init", path: String? = nil,
        message: String, logExcerpt: [String] = []
    ) {
        let code: Code
        switch outcome {
        case .refusedByAuthAllow: code = .refusedByAuthAllow
        case .tlsRejected: code = .tlsRejected
        case .glusterdUnreachable: code = .glusterdUnreachable
        case .unknownVolume: code = .unknownVolume
        case .volumeStopped: code = .volumeStopped
        case .timedOut: code = .timedOut
        case .cancelled: code = .cancelled
        case .ok, .failed: code = .connectFailed
        default: code = .connectFailed
        }
        self.init(code, errno: errno, operation: operation, path: path, message: message, logExcerpt: logExcerpt)
    }
}

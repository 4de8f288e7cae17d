//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

/// A child process that could not run, or whose output broke its bounds.
///
/// Names the command (``executable``, ``arguments``), says what was wrong (``message``) and
/// what to do (``fix``). A non-zero exit status, a signal, a deadline or a cancellation is
/// not an error but a ``ChildTermination``. Equality compares ``code`` only.
public struct ChildProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The command cannot be passed to a program: a NUL byte in the executable path, an
        /// argument or the environment, or `=` in a variable name. Nothing was started.
        public static let invalidArgument = Code("invalid-argument")
        /// There is no executable file at the path (or it is not executable).
        public static let executableNotFound = Code("executable-not-found")
        /// The child could not be started: the kernel refused (not a program it can run, no
        /// process or memory left), or the working directory is unusable.
        public static let spawnFailed = Code("spawn-failed")
        /// The bytes for stdin could not be prepared (no writable temporary directory).
        public static let inputFailed = Code("input-failed")
        /// stdout or stderr passed its limit; the child was killed.
        public static let outputLimitExceeded = Code("output-limit-exceeded")
        /// A streamed stdout line was longer than the protocol allows; the child was killed.
        public static let lineTooLong = Code("line-too-long")
        /// Reading the child's output, or watching for its end, failed.
        public static let ioFailed = Code("io-failed")
        /// The deadline watchdog thread could not be started.
        public static let watchdogUnavailable = Code("watchdog-unavailable")
    }

    public let code: Code
    /// The executable that was run.
    public let executable: String
    /// Its arguments.
    public let arguments: [String]
    /// What was wrong, naming the command.
    public let message: String
    /// What to do about it.
    public let fix: String
    /// The system's errno behind the failure, 0 when there is none.
    public let errno: Int32
    /// What the child wrote on stderr before the failure (its tail), for messages.
    public let standardError: String

    public init(
        _ code: Code, command: ChildProcess, message: String, fix: String, errno: Int32 = 0, standardError: String = ""
    ) {
        self.code = code
        self.executable = command.executable
        self.arguments = command.arguments
        self.message = message
        self.fix = fix
        self.errno = errno
        self.standardError = standardError
    }

    /// The command as one line, for messages (arguments are not quoted: never run it).
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    public var description: String {
        var text = "\(commandLine): \(message); \(fix)"
        if !standardError.isEmpty { text += " (it said: \(standardError))" }
        return text
    }

    public static func == (lhs: ChildProcessError, rhs: ChildProcessError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// Which output stream.
public enum ChildOutputStream: String, Sendable, Hashable, CustomStringConvertible {
    case standardOutput = "stdout"
    case standardError = "stderr"
    public var description: String { rawValue }
}

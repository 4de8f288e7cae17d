//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

/// How a child process ended.
public enum ChildTermination: Sendable, Hashable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal it did not catch ended it (not gshare's deadline or cancellation kill).
    case signaled(Int32)
    /// gshare killed it (`SIGKILL`) when its deadline passed.
    case killedAtDeadline
    /// gshare killed it (`SIGKILL`) because the calling task was cancelled, or never
    /// started it because the task was already cancelled.
    case cancelled

    /// True for an exit status of 0.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "was killed by signal \(signal)"
        case .killedAtDeadline: "was killed at its deadline"
        case .cancelled: "was cancelled"
        }
    }
}

/// A finished child process.
public struct ChildProcessResult: Sendable, Hashable {
    /// How it ended.
    public let termination: ChildTermination
    /// All it wrote on stdout (up to its limit); empty for
    /// ``ChildProcess/stream(input:deadline:maxLineLength:standardErrorTail:onLine:)``, which
    /// hands stdout over line by line.
    public let standardOutput: [UInt8]
    /// All it wrote on stderr (up to its limit), or its tail for a streamed run.
    public let standardError: [UInt8]
    /// Its process ID, nil when it never started (a task cancelled beforehand).
    public let processIdentifier: Int32?
    /// From the call until the child was reaped.
    public let elapsed: Duration

    public init(
        termination: ChildTermination, standardOutput: [UInt8], standardError: [UInt8], processIdentifier: Int32?,
        elapsed: Duration
    ) {
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.processIdentifier = processIdentifier
        self.elapsed = elapsed
    }

    /// stderr as text (invalid UTF-8 replaced), without surrounding whitespace.
    public var standardErrorText: String {
        String(decoding: standardError, as: UTF8.self).trimmingWhitespace()
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

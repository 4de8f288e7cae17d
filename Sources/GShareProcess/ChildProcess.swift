//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

/// A program to run as a child process: an executable file and an argument vector, never a
/// shell command line.
///
/// Every child gshare starts (the gluster CLI, the gfapi worker) runs through this type, on
/// swift-subprocess. Each run has:
/// - a **deadline**: when it passes, the child gets `SIGKILL` through its process
///   descriptor (pidfd, so never a reused PID) from a watchdog on a thread of its own that
///   waits on the monotonic clock, so a busy Dispatch pool or a busy Swift concurrency pool
///   cannot delay it;
/// - **bounded output**: stdout and stderr each have a limit (``run(input:limits:deadline:)``),
///   or stdout is read line by line with a bound per line and stderr keeps only its tail
///   (``stream(input:deadline:maxLineLength:standardErrorTail:onLine:)``);
/// - **stdin** given as bytes, handed to the child in an unlinked file rather than through a
///   pipe, so a child that exits without reading it can never raise `SIGPIPE` in gshare;
/// - **cancellation**: cancelling the calling task kills the child.
///
/// A non-zero exit status, a signal, the deadline or a cancellation is a result
/// (``ChildTermination``); only a run that could not happen or went wrong (no such
/// executable, output past its limit, a broken line protocol) throws ``ChildProcessError``.
public struct ChildProcess: Sendable, Hashable {
    /// The executable file, used as is (no `PATH` search). An absolute path is best; a
    /// relative one is taken from the current directory.
    public var executable: String
    /// The arguments after the executable's name (`argv[1...]`).
    public var arguments: [String]
    /// The child's environment.
    public var environment: ChildEnvironment
    /// The child's working directory; nil keeps this process's.
    public var workingDirectory: String?

    /// - Parameters:
    ///   - executable: the executable file (no `PATH` search, no shell).
    ///   - arguments: `argv[1...]`, each passed as one argument whatever it contains.
    ///   - environment: this process's environment by default.
    ///   - workingDirectory: nil keeps this process's.
    public init(
        executable: String, arguments: [String] = [], environment: ChildEnvironment = .inherit, workingDirectory: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// Runs the program to its end and returns all it printed.
    ///
    /// - Parameters:
    ///   - input: the child's stdin (then end of file); nil gives it `/dev/null`.
    ///   - limits: how much stdout and stderr may hold. Past a limit the child is killed and
    ///     ``ChildProcessError/Code/outputLimitExceeded`` is thrown.
    ///   - deadline: counted from the call; when it passes the child is killed and the
    ///     result is ``ChildTermination/killedAtDeadline`` (with what it printed until then).
    ///     Nil: no deadline.
    /// - Returns: how the child ended and what it printed. A task cancelled before or during
    ///   the run gives ``ChildTermination/cancelled`` (a cancelled task starts no child).
    /// - Throws: ``ChildProcessError`` when the child cannot start, its output passes a
    ///   limit, or its output cannot be read.
    public func run(input: [UInt8]? = nil, limits: ChildOutputLimits = ChildOutputLimits(), deadline: Duration? = nil)
        async throws -> ChildProcessResult
    {
        let stdout = BoundedCollector(stream: .standardOutput, limit: limits.standardOutput)
        let stderr = BoundedCollector(stream: .standardError, limit: limits.standardError)
        let finished = try await Supervisor(command: self).run(input: input, deadline: deadline, standardOutput: stdout, standardError: stderr)
        return ChildProcessResult(
            termination: finished.termination, standardOutput: finished.standardOutput.bytes,
            standardError: finished.standardError.bytes, processIdentifier: finished.processIdentifier, elapsed: finished.elapsed)
    }

    /// Runs the program and hands each line of its stdout to `onLine` as it arrives; stderr
    /// keeps only its last `standardErrorTail` bytes. For a child that speaks a line
    /// protocol (the gfapi worker's JSON lines).
    ///
    /// - Parameters:
    ///   - input: the child's stdin (then end of file); nil gives it `/dev/null`.
    ///   - deadline: as in ``run(input:limits:deadline:)``.
    ///   - maxLineLength: the longest line (without its newline) the protocol allows; a
    ///     longer one kills the child and throws ``ChildProcessError/Code/lineTooLong``.
    ///   - standardErrorTail: how many of stderr's last bytes to keep.
    ///   - onLine: each stdout line without its `\n` (a last line without one too), in order,
    ///     on a task of the concurrency pool: keep it short and non-blocking.
    /// - Returns: how the child ended and stderr's tail (``ChildProcessResult/standardOutput``
    ///   is empty: every byte went to `onLine`).
    /// - Throws: ``ChildProcessError`` when the child cannot start, a line is too long, or
    ///   its output cannot be read.
    ///   - feed: more stdin while the child runs (``ChildInputFeed``); nil: `input` is all.
    public func stream(
        input: [UInt8]? = nil, feed: ChildInputFeed? = nil, deadline: Duration? = nil, maxLineLength: Int, standardErrorTail: Int,
        onLine: @escaping @Sendable (ArraySlice<UInt8>) -> Void
    ) async throws -> ChildProcessResult {
        let stdout = LineSplitter(maxLength: maxLineLength, onLine: onLine)
        let stderr = TailCollector(limit: standardErrorTail)
        let finished = try await Supervisor(command: self).run(
            input: input, feed: feed, deadline: deadline, standardOutput: stdout, standardError: stderr)
        return ChildProcessResult(
            termination: finished.termination, standardOutput: [], standardError: finished.standardError.bytes,
            processIdentifier: finished.processIdentifier, elapsed: finished.elapsed)
    }
}

/// The environment a child gets.
public enum ChildEnvironment: Sendable, Hashable {
    /// This process's environment.
    case inherit
    /// This process's environment with these variables added or replaced.
    case inheritUpdating([String: String])
    /// Exactly these variables.
    case custom([String: String])
}

/// How much output ``ChildProcess/run(input:limits:deadline:)`` keeps before it kills the child.
public struct ChildOutputLimits: Sendable, Hashable {
    /// The most stdout may hold, in bytes.
    public var standardOutput: Int
    /// The most stderr may hold, in bytes.
    public var standardError: Int

    /// 16 MiB of stdout and 1 MiB of stderr unless told otherwise.
    public init(standardOutput: Int = 16 << 20, standardError: Int = 1 << 20) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

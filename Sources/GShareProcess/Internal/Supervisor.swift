//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

internal import Subprocess
internal import SystemPackage
#if canImport(Glibc)
internal import Glibc
#endif

/// A child's run: how it ended and where its output went.
struct SupervisedRun<Out: OutputSink, Err: OutputSink>: Sendable {
    var termination: ChildTermination
    var standardOutput: Out
    var standardError: Err
    var processIdentifier: Int32?
    var elapsed: Duration
}

/// Runs one ``ChildProcess`` on swift-subprocess: spawns it with an argument vector, feeds
/// both output streams to their sinks at the same time, and kills it (SIGKILL through its
/// pidfd) at the deadline, on task cancellation, or when its output breaks a bound.
struct Supervisor {
    typealias Running = Execution<FileDescriptorInput, SequenceOutput, SequenceOutput>

    let command: ChildProcess

    /// What the body closure hands back: the sinks and why the child was killed, if it was.
    private struct Drained<Out: OutputSink, Err: OutputSink>: Sendable {
        let standardOutput: Out
        let standardError: Err
        let killReason: KillReason?
    }

    func run<Out: OutputSink, Err: OutputSink>(
        input: [UInt8]?, feed: ChildInputFeed? = nil, deadline: Duration?, standardOutput: Out, standardError: Err
    )
        async throws -> SupervisedRun<Out, Err>
    {
        defer { feed?.close() }
        let clock = ContinuousClock()
        let started = clock.now
        let killAt = deadline.map { MonotonicInstant.now().advanced(by: $0) }
        try validate()
        guard !Task.isCancelled else {
            return SupervisedRun(
                termination: .cancelled, standardOutput: standardOutput, standardError: standardError, processIdentifier: nil,
                elapsed: clock.now - started)
        }
        let executorStatus = SupervisionExecutor.shared.start()
        guard executorStatus == 0 else {
            throw ChildProcessError(
                .watchdogUnavailable, command: command,
                message: "cannot start the threads that supervise \(command.executable) (errno \(executorStatus)), so it was not started",
                fix: "the system is out of threads or memory: retry when it has some to spare", errno: executorStatus)
        }
        if killAt != nil {
            let status = Watchdog.shared.start()
            guard status == 0 else {
                throw ChildProcessError(
                    .watchdogUnavailable, command: command, message: "cannot start the thread that enforces the deadline of \(command.executable) (errno \(status)), so it was not started",
                    fix: "the system is out of threads or memory: retry when it has some to spare", errno: status)
            }
        }
        let stdin = try StandardInput.open(feed != nil ? (input ?? []) : input, for: command)
        defer { try? stdin.close() }
        if let feed {
            // The feed's own descriptor of the same file (dup: the child's reads move the
            // shared offset; the feed writes at absolute offsets, after the end).
            let duplicate = fcntl(stdin.rawValue, F_DUPFD_CLOEXEC, 0)
            guard duplicate >= 0 else {
                throw ChildProcessError(
                    .inputFailed, command: command, message: "cannot keep its stdin open for more input (errno \(errno))",
                    fix: "the process is out of file descriptors: retry when it has some to spare", errno: errno)
            }
            feed.attach(FileDescriptor(rawValue: duplicate), length: Int64((input ?? []).count))
        }

        let outcome: ExecutionResult<Drained<Out, Err>, SequenceOutput, SequenceOutput>
        do {
            // On the supervision threads, not the shared concurrency pool: see SupervisionExecutor.
            outcome = try await withTaskExecutorPreference(SupervisionExecutor.shared) {
                try await Subprocess.run(
                    configuration, input: .fileDescriptor(stdin, closeAfterSpawningProcess: false), output: .sequence, error: .sequence
                ) { execution in
                    try await Self.supervise(execution, killAt: killAt, standardOutput: standardOutput, standardError: standardError)
                }
            }
        } catch let error as ChildProcessError {
            throw error
        } catch let error as SubprocessError {
            throw map(error)
        } catch {
            throw ChildProcessError(
                .ioFailed, command: command, message: "running \(command.executable) failed: \(error)", fix: "retry; if it persists, report this message")
        }
        let drained = outcome.closureResult
        if let bound = drained.standardOutput.brokenBound ?? drained.standardError.brokenBound {
            throw broken(bound, standardError: drained.standardError.bytes)
        }
        return SupervisedRun(
            termination: Self.termination(outcome.terminationStatus, killedFor: drained.killReason),
            standardOutput: drained.standardOutput, standardError: drained.standardError,
            processIdentifier: outcome.processIdentifier.value, elapsed: clock.now - started)
    }

    // MARK: - Inside swift-subprocess's body closure

    /// Runs while the child runs: arms the kill switch, drains both streams, waits for the
    /// exit with the deadline still armed, and disarms before returning — so nothing can
    /// signal the child once its `Execution` (and pidfd) is gone.
    private static func supervise<Out: OutputSink, Err: OutputSink>(
        _ execution: Running, killAt: MonotonicInstant?, standardOutput: Out, standardError: Err
    ) async throws -> Drained<Out, Err> {
        let killSwitch = KillSwitch { try? execution.send(signal: .kill) }
        let token = killAt.map { Watchdog.shared.watch(until: $0, killSwitch: killSwitch) }
        func disarm() {
            if let token { Watchdog.shared.remove(token) }
            killSwitch.disarm()
        }
        defer { disarm() }

        let (out, err) = try await withTaskCancellationHandler {
            async let out = drain(execution.standardOutput, into: standardOutput, killSwitch: killSwitch)
            async let err = drain(execution.standardError, into: standardError, killSwitch: killSwitch)
            return try await (out, err)
        } onCancel: {
            killSwitch.kill(.cancelled)
        }
        // Both streams ended; the child may still be running (it closed them, or only a
        // grandchild holds them): the deadline and cancellation still apply until it exits.
        await waitForExit(execution.processIdentifier, killSwitch: killSwitch)
        disarm()
        return Drained(standardOutput: out, standardError: err, killReason: killSwitch.reason)
    }

    private static func drain<Sink: OutputSink>(_ sequence: SubprocessOutputSequence, into sink: Sink, killSwitch: KillSwitch)
        async throws -> Sink
    {
        var sink = sink
        for try await buffer in sequence {
            guard buffer.withUnsafeBytes({ sink.take($0) }) else {
                killSwitch.kill(.output)
                return sink
            }
        }
        sink.finish()
        return sink
    }

    /// Returns once the child exited (its pidfd is readable), was killed, or the task was
    /// cancelled (then it kills it). Polls: only a child that closed its output and lingers
    /// gets here before its exit.
    private static func waitForExit(_ process: ProcessIdentifier, killSwitch: KillSwitch) async {
        var pause = Duration.milliseconds(1)
        while !hasExited(process), killSwitch.reason == nil {
            if Task.isCancelled {
                killSwitch.kill(.cancelled)
                return
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        if Task.isCancelled { killSwitch.kill(.cancelled) }
    }

    private static func hasExited(_ process: ProcessIdentifier) -> Bool {
        guard process.processDescriptor >= 0 else { return true }  // no pidfd (kernel < 5.3): cannot tell
        var entry = pollfd(fd: process.processDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) != 0  // 1: exited; -1: unusable, do not spin on it
    }

    // MARK: - Results and errors

    private static func termination(_ status: TerminationStatus, killedFor reason: KillReason?) -> ChildTermination {
        switch status {
        case .signaled(SIGKILL) where reason == .deadline: .killedAtDeadline
        case .signaled(SIGKILL) where reason == .cancelled: .cancelled
        case .signaled(let signal): .signaled(signal)
        case .exited(let code): .exited(code)
        }
    }

    private var configuration: Configuration {
        Configuration(
            executable: .path(FilePath(command.executable)), arguments: Arguments(command.arguments),
            environment: command.environment.subprocessEnvironment, workingDirectory: command.workingDirectory.map { FilePath($0) })
    }

    /// Refuses what `execve` would silently cut or misread: a NUL byte in the executable, an
    /// argument or the environment, and `=` in a variable's name.
    private func validate() throws {
        let variables: [String: String] =
            switch command.environment {
            case .inherit: [:]
            case .inheritUpdating(let variables), .custom(let variables): variables
            }
        let problem: String? =
            if command.executable.isEmpty { "the executable path is empty" }
            else if command.executable.contains("\0") { "the executable path contains a NUL byte" }
            else if let index = command.arguments.firstIndex(where: { $0.contains("\0") }) { "argument \(index + 1) contains a NUL byte" }
            else if let name = variables.keys.sorted().first(where: { $0.isEmpty || $0.contains("=") || $0.contains("\0") }) {
                "the environment variable name \"\(name)\" is empty or contains = or a NUL byte"
            } else if let name = variables.keys.sorted().first(where: { variables[$0]?.contains("\0") == true }) {
                "the value of environment variable \(name) contains a NUL byte"
            } else { nil }
        if let problem {
            throw ChildProcessError(
                .invalidArgument, command: command, message: "\(problem); \(command.executable) was not started",
                fix: "pass text without NUL bytes (a program receives each argument as a C string)")
        }
    }

    private func map(_ error: SubprocessError) -> ChildProcessError {
        let errno = error.underlyingError?.rawValue ?? 0
        switch error.code {
        case .executableNotFound:
            return ChildProcessError(
                .executableNotFound, command: command, message: "there is no executable file at \(command.executable)",
                fix: "install the program or correct its path", errno: errno)
        case .spawnFailed, .failedToChangeWorkingDirectory:
            return ChildProcessError(
                .spawnFailed, command: command, message: "cannot start \(command.executable): \(error)",
                fix: "check that it is a program this machine can run (and the working directory exists), and that the system has processes and memory to spare",
                errno: errno)
        default:
            return ChildProcessError(
                .ioFailed, command: command, message: "reading the output of \(command.executable), or watching it end, failed: \(error)",
                fix: "retry; if it persists, report this message", errno: errno)
        }
    }

    private func broken(_ bound: BrokenBound, standardError: [UInt8]) -> ChildProcessError {
        let said = String(decoding: standardError.suffix(2048), as: UTF8.self).trimmingWhitespace()
        switch bound {
        case .outputLimit(let stream, let limit):
            return ChildProcessError(
                .outputLimitExceeded, command: command, message: "\(command.executable) wrote more than \(limit) bytes on \(stream) and was killed",
                fix: "ask it for less output, or raise the \(stream) limit", standardError: stream == .standardOutput ? said : "")
        case .lineTooLong(let limit):
            return ChildProcessError(
                .lineTooLong, command: command, message: "\(command.executable) wrote a line of more than \(limit) bytes on stdout, which its protocol does not allow, and was killed",
                fix: "check that \(command.executable) is the program expected here, in the same version as gshare", standardError: said)
        }
    }
}

extension ChildEnvironment {
    var subprocessEnvironment: Environment {
        switch self {
        case .inherit:
            .inherit
        case .inheritUpdating(let variables):
            .inherit.updating(Dictionary(uniqueKeysWithValues: variables.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) }))
        case .custom(let variables):
            .custom(Dictionary(uniqueKeysWithValues: variables.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — gshare-gfapi-worker
//===----------------------------------------------------------------------===//

// One libgfapi connection in a process of its own, driven by IsolatedGlusterClient.
//
// Why a process and not a thread: libgfapi 10.3's glfs_init() never returns when a
// brick refuses the certificate's common name (the client translator raises
// AUTH_FAILED, which gfapi ignores), glfs_init() cannot be cancelled, and a thread stuck
// in it can never be reclaimed, nor can the glfs_t it holds be freed. Only a process can
// be killed. So this worker connects, watches its own gfapi log for AUTH_FAILED from a
// second thread (every 50 ms) and reports the refusal at once, enforces its deadline
// itself, and ends every run with _exit(): it never calls glfs_fini() (~10 s in 10.3),
// process exit reclaims the connection, and the caller never waits for a close.
//
// Protocol (see WorkerProtocol.swift in GlusterFSAPI): one JSON request on stdin; JSON
// lines on stdout — events, then exactly one {"event":"result",...}; exit status 0
// whenever a result was written.

import Foundation
import GlusterFSAPI
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

@main
enum Worker {
    static func main() {
        let clock = ContinuousClock()
        let started = clock.now
        let output = Output()

        let input = FileHandle.standardInput.readDataToEndOfFile()
        let request: WorkerRequest
        do {
            request = try JSONDecoder().decode(WorkerRequest.self, from: input)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            // A field that decodes but holds no valid value says what is wrong with it.
            output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "request", path: nil,
                message: context.debugDescription, log: []), status: 2)
        } catch {
            output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "request", path: nil,
                message: "cannot read the request on stdin: \(error)", log: []), status: 2)
        }
        guard request.protocolVersion == 1 else {
            output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "request", path: nil,
                message: "protocol version \(request.protocolVersion) is not supported (this worker speaks 1)", log: []), status: 2)
        }
        // Int64(_:) below traps on a value out of its range: check it first.
        guard request.deadlineSeconds.isFinite, request.deadlineSeconds > 0, request.deadlineSeconds <= 1e9 else {
            output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "request", path: nil,
                message: "deadlineSeconds \(request.deadlineSeconds) must be a number of seconds between 0 and 10^9", log: []), status: 2)
        }
        func milliseconds() -> Int { Int((clock.now - started) / .milliseconds(1)) }

        // Management TLS: a mount namespace of this process's own, entered while it still has
        // one thread (see ManagementTLSNamespace); the I/O identity then is read from there too.
        var connection = request.connection
        if let managementIdentity = connection.managementIdentity {
            do {
                try ManagementTLSNamespace.enter(identity: managementIdentity)
            } catch let error as GlusterFSError {
                output.finish(.failure(.failed, code: error.code, errno: error.errno, operation: error.operation, path: error.path,
                    message: error.message, log: []), status: 0)
            } catch {
                output.finish(.failure(.failed, code: .connectFailed, errno: 0, operation: "management TLS namespace", path: nil,
                    message: "\(error)", log: []), status: 0)
            }
            if connection.identity == managementIdentity { connection.identity = ManagementTLSNamespace.identityInside }
        }

        // The gfapi log: a private temporary file, unlinked once gfapi and the watcher have
        // it open, unless the request names one to keep.
        let logPath: String
        var temporaryLog = false
        if let path = request.logFile {
            logPath = path
        } else {
            var template = Array("\(ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")/gshare-gfapi-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                output.finish(.failure(.failed, code: .connectFailed, errno: errno, operation: "mkstemp", path: nil,
                    message: "cannot create a log file: \(String(cString: strerror(errno)))", log: []), status: 0)
            }
            close(fd)
            logPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            temporaryLog = true
        }

        let volume: GlusterVolume
        do {
            volume = try GlusterVolume(connection: connection, logFile: logPath)
        } catch let error as GlusterFSError {
            if temporaryLog { unlink(logPath) }
            output.finish(.failure(.failed, code: error.code, errno: error.errno, operation: error.operation, path: error.path,
                message: error.message, log: []), status: 0)
        } catch {
            output.finish(.failure(.failed, code: .connectFailed, errno: 0, operation: "glfs_new", path: nil, message: "\(error)", log: []), status: 0)
        }
        // Never released: its deinit would run glfs_fini (~10 s, or a hang after a failed
        // init) as soon as the optimiser ends its lifetime. Process exit reclaims it.
        _ = Unmanaged.passRetained(volume)
        let log = LogWatcher(path: logPath)
        if temporaryLog { unlink(logPath) }

        let phase = Phase("connecting to \(request.connection.address)")
        let deadline = started + request.deadline
        let parent = getppid()
        Thread.detachNewThread {
            // The watchdog: AUTH_FAILED in the log, the deadline, or a parent that went away.
            while true {
                let lines = log.poll()
                if lines.contains(where: { GlusterInitFailure.isAuthenticationFailure($0) }) {
                    let connected = phase.isConnected
                    let message = connected
                        ? "refused by auth.ssl-allow while connected: the common name was removed from the list (server.dynamic-auth)"
                        : "refused by auth.ssl-allow: the bricks do not allow this certificate's common name"
                    output.finish(.failure(.refusedByAuthAllow, code: .refusedByAuthAllow, errno: EACCES,
                        operation: connected ? request.operation.kind : "glfs_init", path: request.connection.address.description,
                        message: message, log: GlusterInitFailure.excerpt(log.all())), status: 0)
                }
                if !phase.isConnected, let hopeless = lines.lazy.compactMap({ GlusterInitFailure.hopelessConnectFailure($0) }).first {
                    output.finish(.failure(.failed, code: .connectFailed, errno: EINVAL, operation: "glfs_init",
                        path: request.connection.address.description, message: hopeless, log: GlusterInitFailure.excerpt(log.all())), status: 0)
                }
                if clock.now >= deadline {
                    let doing = phase.description
                    output.finish(.failure(.timedOut, code: .timedOut, errno: ETIMEDOUT,
                        operation: phase.isConnected ? request.operation.kind : "glfs_init",
                        path: request.connection.address.description,
                        message: "no answer within \(request.deadlineSeconds) s while \(doing)", log: GlusterInitFailure.excerpt(log.all())), status: 0)
                }
                if getppid() != parent { _exit(1) }  // nobody is listening any more
                usleep(50_000)
            }
        }

        do {
            try volume.connect()
        } catch let error as GlusterFSError {
            let lines = log.readToEnd()
            let (outcome, message) = GlusterInitFailure.classify(errno: error.errno, log: lines)
            output.finish(.failure(outcome, code: .init(outcome: outcome), errno: error.errno, operation: "glfs_init",
                path: request.connection.address.description, message: message, log: GlusterInitFailure.excerpt(lines)), status: 0)
        } catch {
            output.finish(.failure(.failed, code: .connectFailed, errno: 0, operation: "glfs_init", path: nil, message: "\(error)", log: []), status: 0)
        }
        let connectMilliseconds = milliseconds()
        var connected = WorkerMessage(event: "connected")
        connected.connectMilliseconds = connectMilliseconds
        output.emit(connected)
        phase.connected("running \(request.operation.kind) on \(request.connection.address)")

        var result = WorkerMessage(event: "result")
        result.outcome = .ok
        do {
            switch request.operation {
            case .probe(let path):
                result.probeBytes = try volume.probeReadWrite(at: path)
            case .wipe(let options):
                result.wipeReport = try volume.wipe(options: options) { output.emit(.progress($0)) }
            case .fill(let files, let directories, let root, let bytesPerFile):
                result.fill = try volume.fill(files: files, directories: directories, under: root, bytesPerFile: bytesPerFile) {
                    output.emit(.progress($0))
                }
            case .stream(let path, let bytes, let chunk):
                result.stream = try volume.stream(to: path, upTo: bytes, chunkBytes: chunk)
            case .statvfs(let path):
                result.space = try volume.statvfs(path)
            case .walk(let path, let limit):
                var sent = 0
                var truncated = false
                try volume.walk(from: path) { entry in
                    if sent >= limit {
                        truncated = true
                        return .stop
                    }
                    var message = WorkerMessage(event: "entry")
                    message.entry = entry
                    output.emit(message)
                    sent += 1
                    return .proceed
                }
                result.truncated = truncated
            case .lock(let keys, let holder, let waitSeconds):
                phase.connected("waiting for the locks \(keys.joined(separator: ", ")) on \(request.connection.address)")
                holdLocks(volume, keys: keys, holder: holder, wait: .milliseconds(Int64((waitSeconds * 1000).rounded())), output: output, phase: phase)
            case .lockOnOrder:
                // Connected ("connected" is sent): wait for which locks to take.
                phase.connected("connected to \(request.connection.address), waiting for the order of which locks to take")
                let (keys, holder, waitSeconds) = readLockOrder(output: output)
                phase.connected("waiting for the locks \(keys.joined(separator: ", ")) on \(request.connection.address)")
                holdLocks(volume, keys: keys, holder: holder, wait: .milliseconds(Int64((waitSeconds * 1000).rounded())), output: output, phase: phase)
            }
        } catch let error as GlusterFSError {
            // A client removed from auth.ssl-allow while connected is cut off by the brick
            // (server.dynamic-auth): the call fails with ENOTCONN, and AUTH_FAILED appears
            // only when gfapi reconnects, about 3 s later. Wait for it a little.
            var lines = log.readToEnd()
            if error.errno == ENOTCONN {
                let until = clock.now + .seconds(6)
                while clock.now < until, !lines.contains(where: { GlusterInitFailure.isAuthenticationFailure($0) }) {
                    usleep(50_000)
                    lines = log.readToEnd()
                }
            }
            if lines.contains(where: { GlusterInitFailure.isAuthenticationFailure($0) }) {
                output.finish(.failure(.refusedByAuthAllow, code: .refusedByAuthAllow, errno: error.errno, operation: error.operation,
                    path: error.path, message: "refused by auth.ssl-allow while connected: the common name was removed from the list (server.dynamic-auth)",
                    log: GlusterInitFailure.excerpt(lines)), status: 0)
            }
            var failure = WorkerMessage.failure(.failed, code: error.code, errno: error.errno, operation: error.operation, path: error.path,
                message: error.message, log: GlusterInitFailure.excerpt(lines))
            failure.connectMilliseconds = connectMilliseconds
            failure.elapsedMilliseconds = milliseconds()
            output.finish(failure, status: 0)
        } catch {
            output.finish(.failure(.failed, code: .operationFailed, errno: 0, operation: request.operation.kind, path: nil,
                message: "\(error)", log: []), status: 0)
        }
        result.connectMilliseconds = connectMilliseconds
        result.elapsedMilliseconds = milliseconds()
        result.message = "ok"
        output.finish(result, status: 0)
    }
}

/// The order of a `lock-on-order` request: one more line on stdin, appended by the parent
/// after the request (stdin is a file: reads return end of file until it comes, so this
/// polls every 2 ms; the watchdog ends the wait at the deadline or when the parent ends).
/// The line is a `lock` operation, checked as a request's is.
func readLockOrder(output: Output) -> (keys: [String], holder: String, waitSeconds: Double) {
    var line: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count < 0, errno != EINTR {
            output.finish(.failure(.failed, code: .invalidArgument, errno: errno, operation: "lock-on-order", path: nil,
                message: "cannot read the lock order on stdin: \(String(cString: strerror(errno)))", log: []), status: 2)
        }
        if count > 0 {
            line += buffer.prefix(count)
            if let end = line.firstIndex(of: UInt8(ascii: "\n")) {
                let order: WorkerOperation
                do {
                    order = try JSONDecoder().decode(WorkerOperation.self, from: Data(line[..<end]))
                } catch {
                    output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "lock-on-order", path: nil,
                        message: "the lock order is not a lock operation: \(error)", log: []), status: 2)
                }
                guard case .lock(let keys, let holder, let waitSeconds) = order else {
                    output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "lock-on-order", path: nil,
                        message: "the lock order is a \(order.kind) operation, not lock", log: []), status: 2)
                }
                return (keys, holder, waitSeconds)
            }
            guard line.count <= 65536 else {
                output.finish(.failure(.failed, code: .invalidArgument, errno: EINVAL, operation: "lock-on-order", path: nil,
                    message: "the lock order is longer than 64 KiB", log: []), status: 2)
            }
        } else {
            usleep(2_000)
        }
    }
}

/// Takes the lock of every key in order (polling: a bounded wait, where `F_SETLKW` could
/// wait for ever), writes `holder` into each lock file, sends `locked`, then holds them
/// until the process ends: killed by the parent when its change is done, or by the
/// watchdog when the parent ended or the deadline passed. Process exit ends the client's
/// brick connections, and the bricks drop its locks at once.
///
/// Not `PR_SET_PDEATHSIG`: it fires when the parent's *thread* that spawned this process
/// ends, and the parent's thread pools end idle threads, which would drop a lock in the
/// middle of a change. The watchdog's `getppid()` check (every 50 ms) follows the parent
/// process instead.
func holdLocks(_ volume: GlusterVolume, keys: [String], holder: String, wait: Duration, output: Output, phase: Phase) -> Never {
    let clock = ContinuousClock()
    let started = clock.now
    var files: [GlusterFile] = []
    var waited = false
    do {
        try volume.makeDirectories(GlusterLockFiles.folder)
        for key in keys {
            let path = GlusterLockFiles.path(of: key)
            let file = try volume.openOrCreateFile(at: path)
            while try !file.tryLockExclusively() {
                waited = true
                if clock.now - started >= wait {
                    let written = String(decoding: (try? file.readFromStart(upTo: 2048)) ?? [], as: UTF8.self)
                    let line = written.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                    let printable = String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.prefix(300).map(Character.init))
                    output.finish(
                        .failure(.failed, code: .lockBusy, errno: EAGAIN, operation: "lock", path: path,
                            message: "the lock \(key) stayed held for \(wait) by " + (printable.isEmpty ? "a client that did not say who it is" : printable),
                            log: []), status: 0)
                }
                // 20-40 ms, spread so that waiters do not poll in step.
                usleep(20_000 + UInt32.random(in: 0..<20_000))
            }
            files.append(file)
        }
        for file in files { try file.replaceContents(with: Array((holder + "\n").utf8)) }
    } catch let error as GlusterFSError {
        output.finish(.failure(.failed, code: error.code, errno: error.errno, operation: error.operation, path: error.path,
            message: error.message, log: []), status: 0)
    } catch {
        output.finish(.failure(.failed, code: .operationFailed, errno: 0, operation: "lock", path: nil, message: "\(error)", log: []), status: 0)
    }
    var locked = WorkerMessage(event: "locked")
    locked.waitedMilliseconds = waited ? Int((clock.now - started) / .milliseconds(1)) : 0
    output.emit(locked)
    phase.connected("holding the locks \(keys.joined(separator: ", "))")
    while true {
        withExtendedLifetime(files) { _ = sleep(3600) }
    }
}

/// What the worker is doing, for the watchdog thread.
///
/// Sendable by construction: its only state is the `Mutex`.
final class Phase: Sendable {
    private let state: Mutex<(description: String, isConnected: Bool)>

    init(_ description: String) { state = Mutex((description, false)) }

    var description: String { state.withLock { $0.description } }
    var isConnected: Bool { state.withLock { $0.isConnected } }

    /// glfs_init returned; now doing `description`.
    func connected(_ description: String) { state.withLock { $0 = (description, true) } }
}

/// stdout, one JSON line per message, written with write(2) under a lock; ``finish(_:status:)``
/// writes the result and ends the process, once, whichever thread gets there first.
///
/// Sendable by construction: its only state is the `Mutex`.
final class Output: Sendable {
    private let finished = Mutex(false)
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Writes an event, unless the result was already written.
    func emit(_ message: WorkerMessage) {
        finished.withLock { done in
            guard !done else { return }
            write(message)
        }
    }

    /// Writes the result and `_exit`s (no glfs_fini, no atexit handlers). A second caller
    /// waits here for the first one's exit.
    func finish(_ message: WorkerMessage, status: Int32) -> Never {
        finished.withLock { done in
            if !done {
                done = true
                write(message)
                _exit(status)
            }
        }
        while true { pause() }
    }

    private func write(_ message: WorkerMessage) {
        guard var line = try? encoder.encode(message) else { return }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    _exit(1)  // the parent is gone
                }
                offset += written
            }
        }
    }
}

/// Follows the gfapi log file: complete lines only, read with pread from our own
/// descriptor (so the file may be unlinked), the last 2,000 kept.
///
/// Sendable by construction: its only state is the `Mutex`.
final class LogWatcher: Sendable {
    private struct State {
        var fd: Int32
        var offset: off_t
        var lines: [String] = []
    }
    private let state: Mutex<State>

    init(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        // An existing log (kept by request) may hold older runs: start at its end.
        let end = fd >= 0 ? lseek(fd, 0, SEEK_END) : 0
        state = Mutex(State(fd: fd, offset: max(0, end)))
    }

    /// The complete lines written since the last call.
    func poll() -> [String] {
        state.withLock { state in
            guard state.fd >= 0 else { return [] }
            var fresh: [String] = []
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = buffer.withUnsafeMutableBytes { pread(state.fd, $0.baseAddress, $0.count, state.offset) }
                guard count > 0, let lastNewline = buffer[0..<count].lastIndex(of: UInt8(ascii: "\n")) else { break }
                let text = String(decoding: buffer[...lastNewline], as: UTF8.self)
                fresh += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                state.offset += off_t(lastNewline + 1)
            }
            state.lines += fresh
            if state.lines.count > 2000 { state.lines.removeFirst(state.lines.count - 2000) }
            return fresh
        }
    }

    /// Everything read so far, after reading what is new.
    func readToEnd() -> [String] {
        _ = poll()
        return all()
    }

    /// The lines kept so far.
    func all() -> [String] { state.withLock { $0.lines } }
}

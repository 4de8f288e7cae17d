//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

internal import Foundation
internal import GShareProcess
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// Cluster-wide locks held in a volume: exclusive POSIX locks on files of a (small,
/// replicated) lock volume, taken and held by a `gshare-gfapi-worker` process of their own.
///
/// The bricks' locks translator enforces the locks for every client of the volume, so every
/// host that reaches the volume sees them. They end when the worker ends: ``release()``
/// kills it (and waits until it is gone), and so does the end of this process (the worker
/// watches its parent) or the hold limit. A host that vanishes without closing its
/// connections keeps its locks until the bricks give up on it (`network.ping-timeout`, 42 s
/// by default).
///
/// Sendable by construction: its mutable state is behind the `Mutex`.
public final class GlusterLockHold: Sendable {
    /// The keys held, in the order they were taken.
    public let keys: [String]
    /// How long the worker waited for other clients' locks.
    public let waited: Duration
    /// From spawning the worker until every lock was held.
    public let elapsed: Duration
    private let task: Task<Void, Never>
    private let signal: LockSignal

    fileprivate init(keys: [String], waited: Duration, elapsed: Duration, task: Task<Void, Never>, signal: LockSignal) {
        self.keys = keys
        self.waited = waited
        self.elapsed = elapsed
        self.task = task
        self.signal = signal
    }

    /// False once the worker ended on its own (its hold limit passed, its volume cut it
    /// off, it crashed): the locks are then no longer held.
    public var isHeld: Bool { signal.lost == nil }

    /// Why the locks were lost, if they were (see ``isHeld``).
    public var lostReason: String? { signal.lost }

    /// Ends the hold: kills the worker and returns once it is gone (its connections closed,
    /// so the bricks have dropped its locks). Calling it again does nothing.
    public func release() async {
        task.cancel()
        await task.value
    }

    deinit { task.cancel() }
}

extension IsolatedGlusterClient {
    /// Takes exclusive locks on `keys` (files `GlusterLockFiles.folder/<key>.lock` of the
    /// volume `connection` names), in order, and holds them until ``GlusterLockHold/release()``.
    ///
    /// - Parameters:
    ///   - holder: who takes them (written into each lock file, and named to whoever waits
    ///     for them in vain): e.g. `root@host pid 123: gshare access allow …`. One line.
    ///   - connectTimeout: how long connecting to the lock volume may take.
    ///   - wait: how long to wait for locks other clients hold.
    ///   - holdLimit: the worker lets go by itself this long after it started (a parent
    ///     that hangs never keeps the cluster locked for ever).
    /// - Throws: ``GlusterFSError`` `lockBusy` naming the holder when the wait ran out, the
    ///   connection's code (`unknownVolume`, `refusedByAuthAllow`, `glusterdUnreachable`…)
    ///   when the lock volume cannot be used, `timedOut`, `cancelled`, or a worker failure.
    public func holdLocks(
        _ connection: GlusterConnection, keys: [String], holder: String, connectTimeout: Duration = .seconds(20), wait: Duration,
        holdLimit: Duration
    ) async throws -> GlusterLockHold {
        try LockOrder.checkKeys(keys)
        let operation = WorkerOperation.lock(keys: keys, holder: LockOrder.holderLine(holder), waitSeconds: wait.seconds)
        let deadline = connectTimeout + wait + holdLimit
        let request = WorkerRequest(connection: connection, operation: operation, deadlineSeconds: deadline.seconds)
        let signal = LockSignal()
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task {
            do {
                let run = try await self.run(request, deadline: deadline) { message in
                    if message.event == "locked" {
                        signal.locked(waited: .milliseconds(message.waitedMilliseconds ?? 0), elapsed: clock.now - started)
                    }
                }
                signal.ended(run.result.outcome == .ok ? nil : run.error)
            } catch {
                signal.ended(error)
            }
        }
        // Connecting and waiting are bounded here too: a worker stuck in glfs_init is killed.
        let (waited, elapsed) = try await signal.wait(endingOnFailure: task, limit: connectTimeout + wait)
        return GlusterLockHold(keys: keys, waited: waited, elapsed: elapsed, task: task, signal: signal)
    }
}

/// What every lock order is checked and cleaned with, however it reaches the worker.
private enum LockOrder {
    static func checkKeys(_ keys: [String]) throws {
        guard !keys.isEmpty, keys.allSatisfy(GlusterLockFiles.isValidKey) else {
            throw GlusterFSError(.invalidArgument, errno: EINVAL, operation: "lock", message: "lock keys must be file names: \(keys)")
        }
    }

    /// The holder as one printable line of at most 300 characters (written into the lock files).
    static func holderLine(_ holder: String) -> String {
        String(holder.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.prefix(300).map(Character.init))
    }
}

/// The hand-over between the worker's events and the caller waiting for its locks.
///
/// Sendable by construction: its state is behind the `Mutex`.
private final class LockSignal: Sendable {
    private enum Phase {
        case waiting
        case locked(waited: Duration, elapsed: Duration)
        case failed(any Error)
    }

    private struct State {
        var phase: Phase = .waiting
        var continuation: CheckedContinuation<(Duration, Duration), any Error>?
        var lost: String?
    }

    private let state = Mutex(State())

    var lost: String? { state.withLock { $0.lost } }

    func wait() async throws -> (Duration, Duration) {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<(Duration, Duration), any Error>? = state.withLock { state in
                switch state.phase {
                case .waiting:
                    state.continuation = continuation
                    return nil
                case .locked(let waited, let elapsed): return .success((waited, elapsed))
                case .failed(let error): return .failure(error)
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// ``wait()``, bounded: past `limit` (and 2 s of grace) it fails as timed out. When it
    /// fails, times out or the caller is cancelled, the worker `task` is ended (and waited
    /// for, so its connections are closed) before the error is thrown.
    func wait(endingOnFailure task: Task<Void, Never>, limit: Duration) async throws -> (Duration, Duration) {
        let timer = Task {
            try? await Task.sleep(for: limit + .seconds(2))
            if !Task.isCancelled, self.timeout(after: limit) { task.cancel() }
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await wait()
            } onCancel: {
                task.cancel()
            }
        } catch {
            task.cancel()
            await task.value
            throw error
        }
    }

    func locked(waited: Duration, elapsed: Duration) {
        let continuation = state.withLock { state -> CheckedContinuation<(Duration, Duration), any Error>? in
            guard case .waiting = state.phase else { return nil }
            state.phase = .locked(waited: waited, elapsed: elapsed)
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: (waited, elapsed))
    }

    /// The worker ended: before `locked` that is the answer; after it, the locks are lost.
    func ended(_ error: (any Error)?) {
        let failure: any Error =
            error ?? GlusterFSError(.workerFailed, operation: "lock", message: "the lock worker ended without taking the locks")
        let continuation = state.withLock { state -> CheckedContinuation<(Duration, Duration), any Error>? in
            switch state.phase {
            case .waiting:
                state.phase = .failed(failure)
                defer { state.continuation = nil }
                return state.continuation
            case .locked:
                if state.lost == nil { state.lost = error.map { "\($0)" } ?? "the lock worker ended" }
                return nil
            case .failed:
                return nil
            }
        }
        continuation?.resume(throwing: failure)
    }

    /// Still waiting after `limit`: fails the wait (true when it did).
    func timeout(after limit: Duration) -> Bool {
        let failure = GlusterFSError(
            .timedOut, errno: ETIMEDOUT, operation: "lock",
            message: "the lock volume did not give the locks within \(limit) (connecting and waiting)")
        let (fired, continuation) = state.withLock { state -> (Bool, CheckedContinuation<(Duration, Duration), any Error>?) in
            guard case .waiting = state.phase else { return (false, nil) }
            state.phase = .failed(failure)
            defer { state.continuation = nil }
            return (true, state.continuation)
        }
        continuation?.resume(throwing: failure)
        return fired
    }
}

/// A lock worker already connected to its lock volume, waiting to be told which locks to
/// take (``take(keys:holder:wait:)``, once): a long-running caller keeps one ready so that a
/// change does not wait for a worker to start and connect (fetching the volfile, a TLS
/// handshake with every brick) before it locks.
///
/// The locks it takes behave exactly as ``IsolatedGlusterClient/holdLocks(_:keys:holder:connectTimeout:wait:holdLimit:)``'s:
/// the same worker code takes them, and the ``GlusterLockHold`` it returns ends them by
/// ending the worker. Unused, it ends after its idle limit; ``discard()`` ends it sooner.
///
/// Sendable by construction: its mutable state is behind the `Mutex` and the signals'.
public final class GlusterArmedLock: Sendable {
    /// When the worker was connected and ready.
    public let armedAt: ContinuousClock.Instant
    /// How long after ``armedAt`` it may still take an order.
    public let idleLimit: Duration
    /// The longest wait an order may ask for (its deadline leaves room for it and the hold).
    public let waitLimit: Duration
    private let task: Task<Void, Never>
    private let armed: LockSignal
    private let lock: LockSignal
    private let feed: ChildInputFeed
    private let used = Mutex(false)

    fileprivate init(
        armedAt: ContinuousClock.Instant, idleLimit: Duration, waitLimit: Duration, task: Task<Void, Never>, armed: LockSignal, lock: LockSignal,
        feed: ChildInputFeed
    ) {
        self.armedAt = armedAt
        self.idleLimit = idleLimit
        self.waitLimit = waitLimit
        self.task = task
        self.armed = armed
        self.lock = lock
        self.feed = feed
    }

    /// True while it can still take its order: not used, its worker alive, within its idle
    /// limit (with a second to spare).
    public var isUsable: Bool {
        !used.withLock { $0 } && armed.lost == nil && ContinuousClock.now - armedAt < idleLimit - .seconds(1)
    }

    /// Takes exclusive locks on `keys` with the connected worker, as
    /// ``IsolatedGlusterClient/holdLocks(_:keys:holder:connectTimeout:wait:holdLimit:)`` does
    /// (same keys, holder line, wait, errors). It can be used once.
    /// - Throws: ``GlusterFSError`` `lockBusy` naming the holder; `workerFailed` when this
    ///   armed lock is used up, past its idle limit or its worker ended (take another way
    ///   then: nothing was locked); the worker's error otherwise.
    public func take(keys: [String], holder: String, wait: Duration) async throws -> GlusterLockHold {
        try LockOrder.checkKeys(keys)
        let usable = isUsable
        let first = used.withLock { used in
            defer { used = true }
            return !used
        }
        guard first, usable else {
            if first { await discard() }
            throw GlusterFSError(
                .workerFailed, operation: "lock", message: "the connected lock worker is used up, past its idle limit or gone: nothing was locked")
        }
        let wait = min(wait, waitLimit)
        let order = WorkerOperation.lock(keys: keys, holder: LockOrder.holderLine(holder), waitSeconds: wait.seconds)
        let started = ContinuousClock.now
        guard let line = try? JSONEncoder().encode(order), feed.append(Array(line) + [UInt8(ascii: "\n")]) else {
            await discard()
            throw GlusterFSError(.workerFailed, operation: "lock", message: "cannot hand the lock order to the connected lock worker: nothing was locked")
        }
        let (waited, _) = try await lock.wait(endingOnFailure: task, limit: wait)
        return GlusterLockHold(keys: keys, waited: waited, elapsed: ContinuousClock.now - started, task: task, signal: lock)
    }

    /// Ends the worker without taking anything (returns once it is gone).
    public func discard() async {
        used.withLock { $0 = true }
        task.cancel()
        await task.value
    }

    deinit {
        if !used.withLock({ $0 }) { task.cancel() }
    }
}

extension IsolatedGlusterClient {
    /// Starts a lock worker that connects to the lock volume `connection` names and waits
    /// for an order (``GlusterArmedLock/take(keys:holder:wait:)``); returns once it is
    /// connected.
    ///
    /// - Parameters:
    ///   - idleLimit: how long it may wait for its order.
    ///   - waitLimit: the longest wait for other clients' locks an order may ask for.
    ///   - holdLimit: once locked, it lets go by itself this long after it started waiting,
    ///     at the latest (a parent that hangs never keeps the cluster locked for ever).
    /// - Throws: as ``holdLocks(_:keys:holder:connectTimeout:wait:holdLimit:)`` does when
    ///   the lock volume cannot be used.
    public func armLock(
        _ connection: GlusterConnection, connectTimeout: Duration = .seconds(20), idleLimit: Duration, waitLimit: Duration, holdLimit: Duration
    ) async throws -> GlusterArmedLock {
        let deadline = connectTimeout + idleLimit + waitLimit + holdLimit
        let request = WorkerRequest(connection: connection, operation: .lockOnOrder, deadlineSeconds: deadline.seconds)
        let armed = LockSignal()
        let lock = LockSignal()
        let feed = ChildInputFeed()
        let task = Task {
            do {
                let run = try await self.run(request, deadline: deadline, feed: feed) { message in
                    switch message.event {
                    case "connected": armed.locked(waited: .zero, elapsed: .zero)
                    case "locked": lock.locked(waited: .milliseconds(message.waitedMilliseconds ?? 0), elapsed: .zero)
                    default: break
                    }
                }
                let error: (any Error)? = run.result.outcome == .ok ? nil : run.error
                armed.ended(error)
                lock.ended(error)
            } catch {
                armed.ended(error)
                lock.ended(error)
            }
        }
        _ = try await armed.wait(endingOnFailure: task, limit: connectTimeout)
        return GlusterArmedLock(
            armedAt: ContinuousClock.now, idleLimit: idleLimit, waitLimit: waitLimit, task: task, armed: armed, lock: lock, feed: feed)
    }
}

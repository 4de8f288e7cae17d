//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// A point on the monotonic clock (`CLOCK_MONOTONIC`), in nanoseconds.
struct MonotonicInstant: Comparable, Sendable {
    let nanoseconds: UInt64

    static func now() -> MonotonicInstant {
        var time = Glibc.timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicInstant(nanoseconds: UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    /// This instant plus `duration` (a negative one counts as zero; saturates far in the future).
    func advanced(by duration: Duration) -> MonotonicInstant {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return self }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        let (sum, overflow3) = nanoseconds.addingReportingOverflow(total)
        return MonotonicInstant(nanoseconds: overflow || overflow2 || overflow3 ? .max : sum)
    }

    var absoluteTime: Glibc.timespec {
        Glibc.timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

/// The one thread that kills children whose deadline passed.
///
/// It is a thread of its own (not a Dispatch queue, not a task) that sleeps in
/// `pthread_cond_timedwait` on `CLOCK_MONOTONIC` until the earliest deadline, so neither a
/// busy Dispatch pool nor a busy Swift concurrency pool can delay a kill, and changing the
/// wall clock cannot move one. A kill goes through the child's ``KillSwitch`` (its pidfd).
final class Watchdog: @unchecked Sendable {  // all mutable state is guarded by `lock`, the mutex the thread's condition waits with
    static let shared = Watchdog()

    /// A registered deadline; give it back to ``remove(_:)``.
    struct Token: Sendable {
        fileprivate let identifier: UInt64
    }

    private struct Entry {
        let deadline: MonotonicInstant
        let killSwitch: KillSwitch
    }

    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var entries: [UInt64: Entry] = [:]
    private var lastIdentifier: UInt64 = 0
    /// 0 once the thread runs; an errno when it could not be created; nil before the first try.
    private var threadStatus: Int32?

    private init() {
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        changed = .allocate(capacity: 1)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
    }
    // No deinit: the one instance lives as long as the process.

    /// Starts the thread if it is not running yet.
    /// - Returns: 0, or the errno of `pthread_create` (then deadlines cannot be enforced).
    func start() -> Int32 {
        withLock {
            if let threadStatus, threadStatus == 0 { return 0 }
            var thread = pthread_t()
            // The instance is never released, so the thread may hold it unretained.
            let status = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                Unmanaged<Watchdog>.fromOpaque(context).takeUnretainedValue().loop()
                return nil
            }, Unmanaged.passUnretained(self).toOpaque())
            if status == 0 { pthread_detach(thread) }
            threadStatus = status
            return status
        }
    }

    /// Kills through `killSwitch` (reason ``KillReason/deadline``) once `deadline` passes,
    /// unless ``remove(_:)`` came first. Call ``start()`` before.
    func watch(until deadline: MonotonicInstant, killSwitch: KillSwitch) -> Token {
        withLock {
            lastIdentifier += 1
            entries[lastIdentifier] = Entry(deadline: deadline, killSwitch: killSwitch)
            pthread_cond_signal(changed)
            return Token(identifier: lastIdentifier)
        }
    }

    /// Forgets a deadline. (A kill already under way is stopped by disarming the switch.)
    func remove(_ token: Token) {
        withLock { _ = entries.removeValue(forKey: token.identifier) }
    }

    /// How many deadlines are registered (for tests).
    var count: Int { withLock { entries.count } }

    private func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    private func loop() {
        pthread_mutex_lock(lock)
        while true {
            let now = MonotonicInstant.now()
            let due = entries.filter { $0.value.deadline <= now }
            if !due.isEmpty {
                for identifier in due.keys { entries.removeValue(forKey: identifier) }
                pthread_mutex_unlock(lock)
                for entry in due.values { entry.killSwitch.kill(.deadline) }
                pthread_mutex_lock(lock)
                continue
            }
            if let next = entries.values.map(\.deadline).min() {
                var until = next.absoluteTime
                _ = pthread_cond_timedwait(changed, lock, &until)
            } else {
                pthread_cond_wait(changed, lock)
            }
        }
    }
}

//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads a parallel wipe hands work to: a job goes to a thread that is
/// idle at that moment, or it is not taken at all (``offer(_:)`` returns false, and the
/// caller runs it itself, inline). There is no queue, so
///
/// - recursion never multiplies threads: however deep the tree, at most `count` helper
///   threads plus the caller's own run jobs;
/// - a thread waiting for the jobs it handed out can never deadlock: every job it waits
///   for is already running on a thread of its own.
///
/// Sendable by construction: its state is the `Mutex` and the semaphores and group,
/// which are Sendable themselves.
final class WipeThreads: Sendable {
    typealias Job = @Sendable () -> Void

    private struct Slots {
        /// Threads waiting for a job (indices into `jobs` and `wakeups`).
        var idle: [Int]
        /// The job handed to each thread, taken by that thread when it wakes up.
        var jobs: [Job?]
        /// Set by ``close()``: no more jobs; every thread ends.
        var closing = false
    }

    private let slots: Mutex<Slots>
    /// One per thread: signalled when it was handed a job (or at ``close()``).
    private let wakeups: [DispatchSemaphore]
    /// Left by each thread as it ends.
    private let exited = DispatchGroup()

    /// Starts `count` threads (0 is allowed: then every job runs inline).
    init(count: Int) {
        let count = max(0, count)
        wakeups = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        slots = Mutex(Slots(idle: Array((0..<count).reversed()), jobs: Array(repeating: nil, count: count)))
        for index in 0..<count {
            exited.enter()
            let thread = Thread { [self] in serve(index) }
            thread.name = "gshare-wipe-\(index + 1)"
            // A wipe recurses once per directory level, as on the main thread.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Hands `job` to an idle thread; false when none is idle (or after ``close()``): then
    /// the caller runs it.
    func offer(_ job: @escaping Job) -> Bool {
        let index: Int? = slots.withLock { slots in
            guard !slots.closing, let index = slots.idle.popLast() else { return nil }
            slots.jobs[index] = job
            return index
        }
        guard let index else { return false }
        wakeups[index].signal()
        return true
    }

    /// Ends every thread once it has finished its job, and waits for that.
    func close() {
        slots.withLock { $0.closing = true }
        for wakeup in wakeups { wakeup.signal() }
        exited.wait()
    }

    private func serve(_ index: Int) {
        while true {
            wakeups[index].wait()
            let job: Job? = slots.withLock { slots in
                defer { slots.jobs[index] = nil }
                return slots.jobs[index]
            }
            guard let job else {
                exited.leave()
                return
            }
            job()
            slots.withLock { slots in
                if !slots.closing { slots.idle.append(index) }
            }
        }
    }
}

/// The jobs one directory batch handed out or ran: waits for them all and gathers what they
/// found. Sendable by construction (a `Mutex` and a `DispatchGroup`).
final class WipeJoin: Sendable {
    struct Outcome {
        /// Names in the directory that could not be removed (not to be listed again).
        var kept: [String] = []
        /// Failures in the jobs' entries and everything under them.
        var failures = 0
    }

    private let outcome = Mutex(Outcome())
    private let group = DispatchGroup()

    /// Before a job is handed out or run.
    func start() { group.enter() }

    /// At the end of every job.
    func finish(keeping name: String?, failures: Int) {
        outcome.withLock { outcome in
            if let name { outcome.kept.append(name) }
            outcome.failures = outcome.failures.addingSaturating(failures)
        }
        group.leave()
    }

    /// Waits until every started job finished.
    func wait() -> Outcome {
        group.wait()
        return outcome.withLock { $0 }
    }
}

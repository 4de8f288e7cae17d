//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// The threads every child's supervision runs on: swift-subprocess's spawn, the body closure
/// that arms the deadline, the draining of its output and the wait for its exit.
///
/// A task executor of its own (Swift's task executor preference), so that a busy Swift
/// concurrency pool — suites blocking its few threads in tests, or a server under load —
/// can delay neither arming a child's deadline (between the spawn and the body closure,
/// where swift-subprocess suspends) nor the report that it ended. The watchdog thread does
/// the killing; these threads only run the short, non-blocking supervision jobs.
final class SupervisionExecutor: TaskExecutor, @unchecked Sendable {  // `jobs` is guarded by `lock`, the mutex `available` waits with
    static let shared = SupervisionExecutor(threads: 2)

    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let available: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: [UnownedJob] = []
    private var started = false
    private let threads: Int

    private init(threads: Int) {
        self.threads = threads
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        available = .allocate(capacity: 1)
        pthread_cond_init(available, nil)
    }
    // No deinit: the one instance lives as long as the process.

    /// Starts the threads if they are not running yet.
    /// - Returns: 0, or the errno of `pthread_create` when not even one thread could start.
    func start() -> Int32 {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        guard !started else { return 0 }
        var running = 0
        var lastError: Int32 = 0
        for _ in 0..<threads {
            var thread = pthread_t()
            // The instance is never released, so the threads may hold it unretained.
            let status = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                Unmanaged<SupervisionExecutor>.fromOpaque(context).takeUnretainedValue().loop()
                return nil
            }, Unmanaged.passUnretained(self).toOpaque())
            if status == 0 {
                pthread_detach(thread)
                running += 1
            } else {
                lastError = status
            }
        }
        started = running > 0
        return started ? 0 : lastError
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        pthread_mutex_lock(lock)
        jobs.append(unowned)
        pthread_cond_signal(available)
        pthread_mutex_unlock(lock)
    }

    private func loop() {
        while true {
            pthread_mutex_lock(lock)
            while jobs.isEmpty { pthread_cond_wait(available, lock) }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(lock)
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

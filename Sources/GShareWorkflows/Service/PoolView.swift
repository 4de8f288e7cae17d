//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver

/// The share service's view of the pool: every share, read with one pool-wide read and
/// served to every list and show for a moment, so that 50 clients polling do not make 50
/// `volume info all` calls.
///
/// Freshness: a view older than ``refreshAfter`` is still served, and a new read starts in
/// the background (one at a time); a view older than ``maximumAge`` is never served (the
/// request waits for a new read). A change this service makes marks the view stale
/// (``invalidate()``): the next read waits for a new one, so a caller sees its own change.
/// A change made elsewhere (the CLI, another host) shows within ``refreshAfter`` plus one
/// read, and never later than ``maximumAge``.
public actor PoolView {
    public let refreshAfter: Duration
    public let maximumAge: Duration

    /// One read of the pool: its shares and its number (every read gets the next), which
    /// tells two answers from the same read (and so the same shares) apart from others.
    typealias Read = (shares: [Share], number: Int)

    private var snapshot: (shares: [Share], taken: ContinuousClock.Instant, number: Int)?
    private var stale = true
    private var reading: Task<Read, any Error>?
    private var readingStarted = ContinuousClock.now
    private var reads = 0
    /// The read every request must wait for (begun after the last change), until it ends.
    private var awaited: Task<Read, any Error>?

    public init(refreshAfter: Duration = .seconds(1), maximumAge: Duration = .seconds(5)) {
        self.refreshAfter = refreshAfter
        self.maximumAge = maximumAge
    }

    /// The shares `scope` sees, and how old the view is.
    public func shares(scope: ShareScope, using workflows: Workflows) async throws(WorkflowError) -> (shares: [Share], age: Duration) {
        let (shares, age, _) = try await numberedShares(scope: scope, using: workflows)
        return (shares, age)
    }

    /// As ``shares(scope:using:)``, with the number of the read they come from: the same
    /// number, the same shares (what an answer rendered from them may be cached by).
    public func numberedShares(scope: ShareScope, using workflows: Workflows) async throws(WorkflowError)
        -> (shares: [Share], age: Duration, read: Int)
    {
        let (read, age) = try await current(using: workflows)
        return (read.shares.filter(scope.admits), age, read.number)
    }

    /// The share with this id, if `scope` sees it (nil otherwise), and how old the view is.
    public func share(_ id: String, scope: ShareScope, using workflows: Workflows) async throws(WorkflowError) -> (share: Share?, age: Duration) {
        let (read, age) = try await current(using: workflows)
        return (read.shares.first { $0.id == id && scope.admits($0) }, age)
    }

    /// The next read waits for a new view (called after every change this service makes).
    public func invalidate() { stale = true }

    private func current(using workflows: Workflows) async throws(WorkflowError) -> (Read, Duration) {
        // After a change, every request waits for a read begun after it (not only the first
        // one to ask): a caller sees its own change even while others are reading.
        if stale {
            startReading(workflows)
            stale = false
            awaited = reading
        }
        let now = ContinuousClock.now
        if awaited == nil, let snapshot, now - snapshot.taken < maximumAge {
            if now - snapshot.taken >= refreshAfter, reading == nil { startReading(workflows) }
            return ((snapshot.shares, snapshot.number), now - snapshot.taken)
        }
        if awaited == nil && reading == nil { startReading(workflows) }
        guard let task = awaited ?? reading else { return (([], -1), .zero) }
        let started = readingStarted
        do {
            let read = try await task.value
            return (read, ContinuousClock.now - started)
        } catch {
            throw WorkflowError(error)
        }
    }

    private func startReading(_ workflows: Workflows) {
        let started = ContinuousClock.now
        reads += 1
        let number = reads
        let task = Task<Read, any Error> { (try await workflows.shares(scope: .admin), number) }
        reading = task
        readingStarted = started
        Task {
            let result = await task.result
            self.finished(task, result, started: started)
        }
    }

    private func finished(_ task: Task<Read, any Error>, _ result: Result<Read, any Error>, started: ContinuousClock.Instant) {
        if case .success(let read) = result, snapshot.map({ $0.taken < started }) ?? true { snapshot = (read.shares, started, read.number) }
        if reading == task { reading = nil }
        if awaited == task { awaited = nil }
    }
}

extension ShareScope {
    /// True when this scope sees `share`.
    public func admits(_ share: Share) -> Bool { admits(project: share.project) }
}

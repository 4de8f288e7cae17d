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

    private var snapshot: (shares: [Share], taken: ContinuousClock.Instant)?
    private var stale = true
    private var reading: Task<[Share], any Error>?
    private var readingStarted = ContinuousClock.now
    /// The read every request must wait for (begun after the last change), until it ends.
    private var awaited: Task<[Share], any Error>?

    public init(refreshAfter: Duration = .seconds(1), maximumAge: Duration = .seconds(5)) {
        self.refreshAfter = refreshAfter
        self.maximumAge = maximumAge
    }

    /// The shares `scope` sees, and how old the view is.
    public func shares(scope: ShareScope, using workflows: Workflows) async throws(WorkflowError) -> (shares: [Share], age: Duration) {
        let (shares, age) = try await current(using: workflows)
        return (shares.filter(scope.admits), age)
    }

    /// The share with this id, if `scope` sees it (nil otherwise), and how old the view is.
    public func share(_ id: String, scope: ShareScope, using workflows: Workflows) async throws(WorkflowError) -> (share: Share?, age: Duration) {
        let (shares, age) = try await current(using: workflows)
        return (shares.first { $0.id == id && scope.admits($0) }, age)
    }

    /// The next read waits for a new view (called after every change this service makes).
    public func invalidate() { stale = true }

    private func current(using workflows: Workflows) async throws(WorkflowError) -> ([Share], Duration) {
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
            return (snapshot.shares, now - snapshot.taken)
        }
        if awaited == nil && reading == nil { startReading(workflows) }
        guard let task = awaited ?? reading else { return ([], .zero) }
        let started = readingStarted
        do {
            let shares = try await task.value
            return (shares, ContinuousClock.now - started)
        } catch {
            throw WorkflowError(error)
        }
    }

    private func startReading(_ workflows: Workflows) {
        let started = ContinuousClock.now
        let task = Task<[Share], any Error> { try await workflows.shares(scope: .admin) }
        reading = task
        readingStarted = started
        Task {
            let result = await task.result
            self.finished(task, result, started: started)
        }
    }

    private func finished(_ task: Task<[Share], any Error>, _ result: Result<[Share], any Error>, started: ContinuousClock.Instant) {
        if case .success(let shares) = result, snapshot.map({ $0.taken < started }) ?? true { snapshot = (shares, started) }
        if reading == task { reading = nil }
        if awaited == task { awaited = nil }
    }
}

extension ShareScope {
    /// True when this scope sees `share`.
    public func admits(_ share: Share) -> Bool { admits(project: share.project) }
}

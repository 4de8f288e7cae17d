//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
public import GlusterDriver

/// The long share changes of a running service (`gshare serve`): a create answers at once
/// and claims its volume in the background; a delete answers at once and wipes in the
/// background. What can be refused is refused before answering (the name, the size, a name
/// taken, no free volume, an unknown share), so a background failure is a failure of the
/// servers, shown on the share with its reason:
/// - a create that failed stays listed as `error` (with the reason) until deleted; it holds
///   no volume (the driver stepped back). Kept in this process only.
/// - a delete that failed leaves the volume `needs-wipe` (never handed out) with the reason
///   recorded on the volume (`user.gshare.failure`), where every host sees it.
///
/// ``resume(_:)`` (at start) finishes every delete left half done; ``drain()`` (at
/// shutdown) waits until every change running has finished.
public actor ShareOperations {
    /// A share being created, or whose create failed.
    public struct PendingCreate: Sendable, Equatable {
        public let id: String
        public let name: String?
        public let sizeGB: Int?
        public let project: String?
        public let created: Date
        /// Why the create failed; nil while it runs.
        public var failure: String?
    }

    private var creating: [String: PendingCreate] = [:] {
        didSet { version += 1 }
    }
    private var deleting: Set<String> = [] {
        didSet { version += 1 }
    }
    /// Counts every change of the creates and deletes under way: the same version, the same
    /// ``listing(scope:)``.
    private var version = 0
    private var running: [UUID: Task<Void, Never>] = [:]
    /// The create asked last (the next one waits for it).
    private var lastCreate: Task<Void, Never>?
    private var draining = false
    /// The pool as lists and shows see it; every change made here marks it stale.
    public let view: PoolView

    public init(view: PoolView = PoolView()) {
        self.view = view
    }

    /// Starts a create: refuses at once what would be refused (``ShareDriver/checkCreate(name:sizeGB:project:)``,
    /// plus a name another create of the project is claiming now), then claims a volume in the
    /// background, audited by `workflows` (its principal is who asked).
    public func beginCreate(_ workflows: Workflows, name: String?, sizeGB: Int?, project: String?) async throws(WorkflowError) -> PendingCreate {
        try refuseWhileDraining()
        if let name, creating.values.contains(where: { $0.project == project && $0.name == name && $0.failure == nil }) {
            throw WorkflowError(
                Code.nameTaken, .refused, subject: name,
                message: "a share called '\(name)' is being created in \(project.map { "project \($0)" } ?? "the pool") now", fix: "choose another name")
        }
        try await reported { try await workflows.driver.checkCreate(name: name, sizeGB: sizeGB, project: project) }
        try refuseWhileDraining()
        let pending = PendingCreate(id: UUID().uuidString.lowercased(), name: name, sizeGB: sizeGB, project: project, created: workflows.context.now())
        creating[pending.id] = pending
        // One claim at a time from this server, in the order asked: the claim lock is taken
        // for each in turn anyway, and a queue of this server's own creates must not run
        // into lock_timeout_seconds (the wait meant for other hosts' changes).
        let previous = lastCreate
        lastCreate = start {
            await previous?.value
            do throws(WorkflowError) {
                _ = try await workflows.createShare(name: name, sizeGB: sizeGB, project: project, shareID: pending.id)
                await self.created(pending.id, failure: nil)
            } catch {
                await self.created(pending.id, failure: error.message)
            }
        }
        return pending
    }

    private func created(_ id: String, failure: String?) async {
        // Before the suspension: no request may see the create pending once it is done.
        if let failure {
            creating[id]?.failure = failure
        } else {
            creating[id] = nil
        }
        await view.invalidate()
    }

    /// The creates running or failed that `scope` sees.
    public func pendingCreates(scope: ShareScope) -> [PendingCreate] {
        creating.values.filter { scope.project == nil || $0.project == scope.project }.sorted { $0.created < $1.created }
    }

    /// The create running or failed with this id, if `scope` sees it.
    public func pendingCreate(_ id: String, scope: ShareScope) -> PendingCreate? {
        creating[id].flatMap { scope.project == nil || $0.project == scope.project ? $0 : nil }
    }

    /// True while this process is wiping the share.
    public func isDeleting(_ id: String) -> Bool { deleting.contains(id) }

    /// What a list needs of the changes under way, in one call: the shares being wiped, the
    /// creates running or failed that `scope` sees, and their version.
    public func listing(scope: ShareScope) -> (deleting: Set<String>, pending: [PendingCreate], version: Int) {
        (deleting, pendingCreates(scope: scope), version)
    }

    /// Starts a delete of a share `scope` sees (an unknown one is refused at once): a
    /// failed create is forgotten; a share is cut off and wiped in the background (a delete
    /// already running is left to finish).
    /// - Returns: false when the id was a failed create (nothing to wipe).
    @discardableResult
    public func beginDelete(_ workflows: Workflows, share id: String, scope: ShareScope) async throws(WorkflowError) -> Bool {
        try refuseWhileDraining()
        if let pending = pendingCreate(id, scope: scope) {
            guard pending.failure != nil else {
                throw WorkflowError(
                    .invalidRequest, .refused, subject: id, message: "share \(id) is still being created; delete it when it is available",
                    fix: "wait until its status is available, then delete it")
            }
            creating[id] = nil
            return false
        }
        let share = try await workflows.share(id, scope: scope)
        guard !deleting.contains(share.id) else { return true }
        // Known before answering: a wipe needs gshare's own identity.
        guard workflows.config.manager != nil else {
            throw WorkflowError(
                .notConfigured, .failed, subject: id,
                message: "deleting a share wipes its volume as gshare's own TLS identity, and the server's gshare.toml does not name one; nothing was changed",
                fix: "the operator sets manager_cert, manager_key and manager_ca in gshare.toml and restarts gshare serve")
        }
        deleting.insert(share.id)
        start {
            do throws(WorkflowError) {
                _ = try await workflows.deleteShare(share.id, scope: scope)
            } catch {
                // The volume stays needs-wipe; its reason, on the volume, for every host.
                try? await workflows.driver.recordFailure(share.id, error.message)
            }
            await self.deleted(share.id)
        }
        return true
    }

    private func deleted(_ id: String) async {
        await view.invalidate()
        deleting.remove(id)
    }

    /// Finishes every delete left half done (a volume marked needs-wipe), in the background:
    /// called when the service starts.
    /// - Returns: the ids of the shares being deleted.
    public func resume(_ workflows: Workflows) async throws(WorkflowError) -> [String] {
        let stranded = try await workflows.shares(scope: .admin).filter { $0.state == ShareMarks.State.needsWipe.rawValue }
        var resumed: [String] = []
        for share in stranded where !deleting.contains(share.id) {
            if (try? await beginDelete(workflows, share: share.id, scope: .admin)) != nil { resumed.append(share.id) }
        }
        return resumed
    }

    /// Refuses new changes, then waits until every change running has finished.
    public func drain() async {
        draining = true
        while let (_, task) = running.first {
            await task.value
        }
    }

    /// The number of changes running now.
    public var runningCount: Int { running.count }

    private func refuseWhileDraining() throws(WorkflowError) {
        guard !draining else {
            throw WorkflowError(
                .shuttingDown, .failed, message: "gshare serve is shutting down: it finishes the changes under way and takes no new ones",
                fix: "send the request again when the service is back")
        }
    }

    @discardableResult
    private func start(_ work: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let key = UUID()
        let task = Task {
            await work()
            self.finished(key)
        }
        running[key] = task
        return task
    }

    private func finished(_ key: UUID) { running[key] = nil }

    private typealias Code = WorkflowError.Code
}

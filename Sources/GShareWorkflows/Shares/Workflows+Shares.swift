//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import GlusterFSAPI
public import GlusterDriver

extension Workflows {
    /// Claims a free, TLS-ready pool volume as a new share (the smallest that holds
    /// `sizeGB`). Audited.
    ///
    /// - Parameters:
    ///   - project: the project the share belongs to (the share API); nil for the CLI.
    ///   - shareID: the id, when the caller chose it already (the share API).
    public func createShare(name: String?, sizeGB: Int?, project: String? = nil, shareID: String? = nil) async throws(WorkflowError) -> CreateResult {
        try await audit.audited(
            name ?? shareID ?? "pool", summary: { "created share \($0.share.id) on \($0.share.volume)" + (project.map { " for project \($0)" } ?? "") }
        ) {
            try await driver.createShare(name: name, sizeGB: sizeGB, project: project, shareID: shareID)
        }
    }

    /// Cuts every tenant off, wipes the volume (progress: ``ProgressEvent/wiping(files:directories:)``)
    /// and gives it back to the pool. Audited.
    public func deleteShare(_ share: String, scope: ShareScope = .all) async throws(WorkflowError) -> DeleteResult {
        let progress = context.progress
        defer { progress.finish() }
        return try await audit.audited(
            share,
            summary: { $0.deleted ? "deleted share \($0.shareID): \($0.volume) wiped and back in the pool" : "already deleted" }
        ) {
            try await driver.deleteShare(share, scope: scope) { counts in
                progress.report(.wiping(files: counts.files, directories: counts.directories))
            }
        }
    }

    /// Gives a share a new size (extend or shrink; see ``ShareDriver/resizeShare(_:size:)``).
    /// Audited.
    public func resizeShare(_ share: String, size: Int, scope: ShareScope = .all) async throws(WorkflowError) -> ResizeResult {
        try await audit.audited(
            share,
            summary: {
                $0.changed
                    ? "resized share \($0.shareID) on \($0.volume): \($0.sizeBefore.map { "\($0) \(config.sizeUnit.symbol)" } ?? "no size") -> \($0.size) \($0.unit)"
                    : "share \($0.shareID) has \($0.size) \($0.unit) already"
            }
        ) {
            try await driver.resizeShare(share, size: size, scope: scope)
        }
    }

    /// Every share of the pool; with `usage`, each with its size, used and free bytes (one
    /// quota read per share, concurrently).
    public func shares(usage: Bool = false, scope: ShareScope = .all) async throws(WorkflowError) -> [Share] {
        try await reported { try await driver.shares(usage: usage, scope: scope) }
    }

    /// One share, by id, name or volume (by id only when `scope` says so), within `scope`;
    /// with `usage`, with its size, used and free bytes.
    public func share(_ reference: String, usage: Bool = false, scope: ShareScope = .all) async throws(WorkflowError) -> Share {
        try await reported {
            usage ? try await driver.shareWithUsage(reference, scope: scope) : try await driver.share(reference, scope: scope)
        }
    }
}

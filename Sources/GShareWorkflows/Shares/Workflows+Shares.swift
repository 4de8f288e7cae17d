//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import GlusterFSAPI
public import GlusterDriver

extension Workflows {
    /// Claims a free, TLS-ready pool volume as a new share (the smallest that holds
    /// `sizeGB`). Audited.
    public func createShare(name: String?, sizeGB: Int?) async throws(WorkflowError) -> CreateResult {
        try await audit.audited(name ?? "pool", summary: { "created share \($0.share.id) on \($0.share.volume)" }) {
            try await driver.createShare(name: name, sizeGB: sizeGB)
        }
    }

    /// Cuts every tenant off, wipes the volume (progress: ``ProgressEvent/wiping(files:directories:)``)
    /// and gives it back to the pool. Audited.
    public func deleteShare(_ share: String) async throws(WorkflowError) -> DeleteResult {
        let progress = context.progress
        defer { progress.finish() }
        return try await audit.audited(
            share,
            summary: { $0.deleted ? "deleted share \($0.shareID): \($0.volume) wiped and back in the pool" : "already deleted" }
        ) {
            try await driver.deleteShare(share) { counts in
                progress.report(.wiping(files: counts.files, directories: counts.directories))
            }
        }
    }

    /// Every share of the pool.
    public func shares() async throws(WorkflowError) -> [Share] {
        try await reported { try await driver.shares() }
    }

    /// One share, by id, name or volume.
    public func share(_ reference: String) async throws(WorkflowError) -> Share {
        try await reported { try await driver.share(reference) }
    }
}

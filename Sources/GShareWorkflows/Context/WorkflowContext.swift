//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
public import Logging
import TenantPKI

/// What a front end hands every workflow: who asks (for the audit log), the request as it
/// arrived, where to log, where progress goes, and the clock.
public struct WorkflowContext: Sendable {
    /// Who asks.
    public var principal: Principal
    /// The request as the front end received it, recorded in the audit log: the CLI's
    /// argument vector (`gshare access allow …`), a server's method and path.
    public var request: [String]
    /// Where the workflows and every layer below log (gluster calls, SSH connects, lock waits).
    public var logger: Logger
    /// Where long work reports progress.
    public var progress: any ProgressReporter
    /// The time "now" is, for expiry checks and records.
    public var now: @Sendable () -> Date

    public init(
        principal: Principal, request: [String], logger: Logger, progress: any ProgressReporter = SilentProgress(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.principal = principal
        self.request = request
        self.logger = logger
        self.progress = progress
        self.now = now
    }
}

/// Progress of long work (onboarding many certificates, wiping a volume, building a lab PKI).
public enum ProgressEvent: Sendable, Equatable {
    /// Item `completed` of `total` is done (`item` names it).
    case step(completed: Int, total: Int, item: String)
    /// A wipe removed this much so far.
    case wiping(files: Int, directories: Int)
}

/// Receives ``ProgressEvent``s; may be called from several threads at once.
public protocol ProgressReporter: Sendable {
    func report(_ event: ProgressEvent)
    /// The work is over (draw nothing more).
    func finish()
}

/// Reports nothing.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func report(_ event: ProgressEvent) {}
    public func finish() {}
}

extension LabProgress {
    var event: ProgressEvent { .step(completed: completed, total: total, item: name) }
}
